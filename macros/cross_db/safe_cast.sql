{#- A cast that yields NULL instead of failing (dbt.safe_cast is a plain cast on DuckDB and Spark). -#}
{% macro safe_cast(expr, data_type) %}
    {{- return(adapter.dispatch('safe_cast', 'omnichannel_analytics')(expr, data_type)) -}}
{% endmacro %}

{% macro default__safe_cast(expr, data_type) -%}
    try_cast({{ expr }} as {{ data_type }})
{%- endmacro %}
