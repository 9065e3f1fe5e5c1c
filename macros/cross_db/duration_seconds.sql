{#-
    Exact seconds from start_ts to end_ts (microsecond precision kept, the finest both engines hold), computed from epoch
    microseconds; NULL when either is NULL or when the end precedes the start (a data fault).
    Never dbt.datediff: it counts calendar boundaries on DuckDB and rounds on Spark.
-#}
{% macro duration_seconds(start_ts, end_ts) %}
    {{- return(adapter.dispatch('duration_seconds', 'omnichannel_analytics')(start_ts, end_ts)) -}}
{% endmacro %}

{% macro default__duration_seconds(start_ts, end_ts) -%}
    case
        when {{ epoch_microseconds(end_ts) }} >= {{ epoch_microseconds(start_ts) }}
            then cast({{ epoch_microseconds(end_ts) }} - {{ epoch_microseconds(start_ts) }} as double) / 1000000.0
    end
{%- endmacro %}


{% macro epoch_microseconds(ts) %}
    {{- return(adapter.dispatch('epoch_microseconds', 'omnichannel_analytics')(ts)) -}}
{% endmacro %}

{% macro default__epoch_microseconds(ts) -%}
    unix_micros({{ ts }})
{%- endmacro %}

{% macro duckdb__epoch_microseconds(ts) -%}
    epoch_us({{ ts }})
{%- endmacro %}

{#- PostgreSQL: extract(epoch ...) is an exact numeric (PostgreSQL 14+), microseconds included. -#}
{% macro postgres__epoch_microseconds(ts) -%}
    cast(extract(epoch from {{ ts }}) * 1000000 as bigint)
{%- endmacro %}
