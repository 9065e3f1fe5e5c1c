{#-
    `dbt source freshness` over the export, read as the base models read it (dataverse_read): the
    lake's sinkmodifiedon is a timestamp in Parquet and Delta exports but text in CSV and CDM ones
    (there in Synapse Link's US form), so the loaded_at_field is read as a timestamp first
    (dbt's own collect_freshness, given the parsed column). Warn only: thresholds from the var
    source_freshness_warn_after_hours, no error_after.
-#}
{% macro freshness_timestamp(column) %}
    {{- return(adapter.dispatch('freshness_timestamp', 'omnichannel_analytics')(column)) -}}
{% endmacro %}

{% macro default__freshness_timestamp(column) -%}
    cast(cast({{ column }} as {{ dbt.type_string() }}) as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- DuckDB: the base layer's parser over the column's text (ISO-8601, or Synapse Link's US sink form). -#}
{% macro duckdb__freshness_timestamp(column) -%}
    {{ parse_timestamp_utc('cast(' ~ column ~ ' as varchar)', 'varchar') }}
{%- endmacro %}

{#- dbt's collect_freshness, dispatched to this project first (dbt_project.yml: dispatch). -#}
{% macro default__collect_freshness(source, loaded_at_field, filter) %}
    {%- set relation = dataverse_read(source, source.identifier) -%}
    {{- return(dbt.default__collect_freshness(relation, freshness_timestamp(loaded_at_field), filter)) -}}
{% endmacro %}
