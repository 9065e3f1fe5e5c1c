{#-
    Exact seconds from start_ts to end_ts (millisecond precision kept), computed from epoch
    milliseconds; NULL when either is NULL or when the end precedes the start (a data fault).
    Never dbt.datediff: it counts calendar boundaries on DuckDB and rounds on Spark.
-#}
{% macro duration_seconds(start_ts, end_ts) %}
    {{- return(adapter.dispatch('duration_seconds', 'omnichannel_analytics')(start_ts, end_ts)) -}}
{% endmacro %}

{% macro default__duration_seconds(start_ts, end_ts) -%}
    case
        when {{ epoch_milliseconds(end_ts) }} >= {{ epoch_milliseconds(start_ts) }}
            then cast({{ epoch_milliseconds(end_ts) }} - {{ epoch_milliseconds(start_ts) }} as double) / 1000.0
    end
{%- endmacro %}


{% macro epoch_milliseconds(ts) %}
    {{- return(adapter.dispatch('epoch_milliseconds', 'omnichannel_analytics')(ts)) -}}
{% endmacro %}

{% macro default__epoch_milliseconds(ts) -%}
    unix_millis({{ ts }})
{%- endmacro %}

{% macro duckdb__epoch_milliseconds(ts) -%}
    epoch_ms({{ ts }})
{%- endmacro %}
