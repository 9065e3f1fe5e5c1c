{#-
    The columns a Dataverse table actually has in the export: a dict from lower-case name
    to {name: the name as exported, type: the engine's type name}. Stops the build with a
    message naming the table and the path when the table is not there.
-#}
{% macro dataverse_present_columns(relation, table_name) %}
    {{- return(adapter.dispatch('dataverse_present_columns', 'omnichannel_analytics')(relation, table_name)) -}}
{% endmacro %}

{% macro default__dataverse_present_columns(relation, table_name) %}
    {%- set columns = adapter.get_columns_in_relation(relation) -%}
    {%- if columns | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Dataverse table '" ~ table_name ~ "' not found: expected a table "
            ~ relation ~ " (var dataverse_schema = '" ~ var('dataverse_schema') ~ "'); load the export first.") }}
    {%- endif -%}
    {%- set present = {} -%}
    {%- for column in columns -%}
        {%- do present.update({column.name | lower: {'name': column.name, 'type': column.data_type}}) -%}
    {%- endfor -%}
    {{- return(present) -}}
{% endmacro %}

{% macro duckdb__dataverse_present_columns(relation, table_name) %}
    {%- set fmt = dataverse_format() -%}
    {%- set folder = var('dataverse_path') ~ '/' ~ table_name -%}
    {%- set found = run_query(
        "select count(*) from glob('" ~ folder | replace("'", "''") ~ "/*." ~ fmt ~ "')"
    ).columns[0].values()[0] -%}
    {%- if found == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Dataverse table '" ~ table_name ~ "' not found: no *." ~ fmt ~ " files in '" ~ folder
            ~ "' (var dataverse_path = '" ~ var('dataverse_path') ~ "', dataverse_format = '" ~ fmt ~ "').") }}
    {%- endif -%}
    {%- set described = run_query('describe select * from ' ~ relation) -%}
    {%- set present = {} -%}
    {%- for row in described.rows -%}
        {%- do present.update({row[0] | lower: {'name': row[0], 'type': row[1]}}) -%}
    {%- endfor -%}
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
