{#- A cast that yields NULL instead of failing (dbt.safe_cast is a plain cast on DuckDB and Spark). -#}
{% macro try_cast(expr, data_type) %}
    {{- return(adapter.dispatch('try_cast', 'omnichannel_analytics')(expr, data_type)) -}}
{% endmacro %}

{% macro default__try_cast(expr, data_type) -%}
    try_cast({{ expr }} as {{ data_type }})
{%- endmacro %}

{#-
    Spark: a cast to a whole-number type goes through decimal and rounds half away from zero,
    as DuckDB does, so number text written with a fraction ('192350004.0', '1.5', '1e3') reads
    the same on both engines; a plain try_cast would give NULL. Anything else: try_cast.
-#}
{% macro spark__try_cast(expr, data_type) -%}
    {%- if data_type | lower in ['tinyint', 'smallint', 'int', 'integer', 'bigint'] -%}
        try_cast(round(try_cast({{ expr }} as decimal(38, 9))) as {{ data_type }})
    {%- else -%}
        try_cast({{ expr }} as {{ data_type }})
    {%- endif -%}
{%- endmacro %}
