{#- A cast that yields NULL instead of failing (dbt.safe_cast is a plain cast on DuckDB and Spark). -#}
{% macro try_cast(expr, data_type) %}
    {{- return(adapter.dispatch('try_cast', 'omnichannel_analytics')(expr, data_type)) -}}
{% endmacro %}

{% macro default__try_cast(expr, data_type) -%}
    try_cast({{ expr }} as {{ data_type }})
{%- endmacro %}
