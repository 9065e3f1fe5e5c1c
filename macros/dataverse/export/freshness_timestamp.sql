{#-
    `dbt source freshness` over the export: the lake's sinkmodifiedon is a timestamp in Parquet
    and Delta exports but text in CSV ones, so the loaded_at_field is read as a timestamp first
    (dbt's own collect_freshness, given the parsed column). Warn only: thresholds from the var
    source_freshness_warn_after_hours, no error_after.
-#}
{% macro freshness_timestamp(column) %}
    {{- return(adapter.dispatch('freshness_timestamp', 'omnichannel_analytics')(column)) -}}
{% endmacro %}

{% macro default__freshness_timestamp(column) -%}
    cast(cast({{ column }} as {{ dbt.type_string() }}) as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__freshness_timestamp(column) -%}
    try_cast(cast({{ column }} as varchar) as timestamptz)
{%- endmacro %}

{#- dbt's collect_freshness, dispatched to this project first (dbt_project.yml: dispatch). -#}
{% macro default__collect_freshness(source, loaded_at_field, filter) %}
    {{- return(dbt.default__collect_freshness(source, freshness_timestamp(loaded_at_field), filter)) -}}
{% endmacro %}
