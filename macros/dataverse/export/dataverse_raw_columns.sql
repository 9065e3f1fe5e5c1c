{#-
    The columns a Dataverse table actually has in the export: a dict from lower-case name to
    {name: the name as exported, type: the engine's type name}; none when the table is not there.
-#}
{% macro dataverse_find_columns(relation, table_name) %}
    {{- return(adapter.dispatch('dataverse_find_columns', 'omnichannel_analytics')(relation, table_name)) -}}
{% endmacro %}

{% macro default__dataverse_find_columns(relation, table_name) %}
    {%- set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- if existing is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set present = {} -%}
    {%- for column in adapter.get_columns_in_relation(existing) -%}
        {%- do present.update({column.name | lower: {'name': column.name, 'type': column.data_type}}) -%}
    {%- endfor -%}
    {{- return(present) -}}
{% endmacro %}

{% macro duckdb__dataverse_find_columns(relation, table_name) %}
    {%- set fmt = dataverse_format() -%}
    {%- set folder = var('dataverse_path') ~ '/' ~ table_name -%}
    {%- set found = run_query(
        "select count(*) from glob('" ~ folder | replace("'", "''") ~ "/*." ~ fmt ~ "')"
    ).columns[0].values()[0] -%}
    {%- if found == 0 -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set described = run_query('describe select * from ' ~ relation) -%}
    {%- set present = {} -%}
    {%- for row in described.rows -%}
        {%- do present.update({row[0] | lower: {'name': row[0], 'type': row[1]}}) -%}
    {%- endfor -%}
    {{- return(present) -}}
{% endmacro %}


{#- Where a Dataverse table is expected, for messages. -#}
{% macro dataverse_table_location(table_name) %}
    {{- return(adapter.dispatch('dataverse_table_location', 'omnichannel_analytics')(table_name)) -}}
{% endmacro %}

{% macro default__dataverse_table_location(table_name) -%}
    {{- return("table " ~ var('dataverse_schema') ~ "." ~ table_name ~ " (var dataverse_schema)") -}}
{%- endmacro %}

{% macro duckdb__dataverse_table_location(table_name) -%}
    {{- return("*." ~ dataverse_format() ~ " files in '" ~ var('dataverse_path') ~ "/" ~ table_name
        ~ "' (vars dataverse_path, dataverse_format)") -}}
{%- endmacro %}


{#-
    The columns of a Dataverse table in the export, as the base model of that table reads them:
    a dict from lower-case name to {name, type}. The build stops with a message naming the table
    and where it was expected when it is not there. Inside a unit test: none (the fixture gives
    every column as text, and dataverse_raw_column treats each as present).
-#}
{% macro dataverse_raw_columns(table_name) %}
    {%- if not execute -%}
        {{- return({}) -}}
    {%- endif -%}
    {%- if model.resource_type == 'unit_test' -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set present = dataverse_find_columns(dataverse_source_relation(table_name), table_name) -%}
    {%- if present is none -%}
        {{ exceptions.raise_compiler_error(
            "Dataverse table '" ~ table_name ~ "' not found: expected " ~ dataverse_table_location(table_name) ~ ".") }}
    {%- endif -%}
    {{- return(present) -}}
{% endmacro %}


{#- The validated export format: parquet or csv, or the build stops. -#}
{% macro dataverse_format() %}
    {%- set fmt = var('dataverse_format') | string | lower -%}
    {%- if fmt not in ['parquet', 'csv'] -%}
        {{ exceptions.raise_compiler_error(
            "var('dataverse_format') = '" ~ var('dataverse_format') ~ "' is not supported: use 'parquet' or 'csv'.") }}
    {%- endif -%}
    {{- return(fmt) -}}
{% endmacro %}
