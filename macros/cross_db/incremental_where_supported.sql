{#-
    The materialization of the models built incrementally (delete+insert per key): 'incremental'
    on engines whose plain tables take a delete+insert, 'table' elsewhere (Spark's Parquet tables:
    dbt-spark's incremental strategies need Delta or a partition overwrite). Results are the same.
-#}
{% macro incremental_where_supported() %}
    {{- return(adapter.dispatch('incremental_where_supported', 'omnichannel_analytics')()) -}}
{% endmacro %}

{% macro default__incremental_where_supported() %}
    {{- return('table') -}}
{% endmacro %}

{% macro duckdb__incremental_where_supported() %}
    {{- return('incremental') -}}
{% endmacro %}
