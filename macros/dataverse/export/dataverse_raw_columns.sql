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

{#- DuckDB: the columns of the expression that reads the table (dataverse_read), as DuckDB describes it. -#}
{% macro duckdb__dataverse_find_columns(relation, table_name) %}
    {%- set expression = dataverse_duckdb_reader(table_name) -%}
    {%- if expression is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set described = run_query('describe select * from ' ~ expression) -%}
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
    {%- set fmt = dataverse_format() -%}
    {%- set folder = dataverse_root() ~ '/' ~ table_name -%}
    {%- if fmt == 'cdm' -%}
        {{- return("an entity '" ~ table_name ~ "' in '" ~ dataverse_root() ~ "/model.json' or in an incremental folder's "
            ~ "model.json (vars dataverse_path, dataverse_format)") -}}
    {%- elif fmt == 'delta' -%}
        {{- return("a Delta table (a folder with _delta_log) at '" ~ folder ~ "' (vars dataverse_path, dataverse_format)") -}}
    {%- endif -%}
    {{- return("*." ~ fmt ~ " files in '" ~ folder ~ "' (vars dataverse_path, dataverse_format)") -}}
{%- endmacro %}


{#-
    The columns of a Dataverse table in the export, as the base model of that table reads them:
    a dict from lower-case name to {name, type}. The build stops with a message naming the table
    and where it was expected when a required table is not there; an optional table that is not
    there has the columns of dataverse_empty_table (every declared column, as text). Inside a unit test: none (the fixture gives
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
    {%- if present is none and not dataverse_table_is_required(table_name) -%}
        {{- return(dataverse_empty_table_columns(table_name)) -}}
    {%- elif present is none -%}
        {{ exceptions.raise_compiler_error(
            "Dataverse table '" ~ table_name ~ "' not found: expected " ~ dataverse_table_location(table_name) ~ ".") }}
    {%- endif -%}
    {{- return(present) -}}
{% endmacro %}
