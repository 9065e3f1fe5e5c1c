{#-
    on-run-start: before anything is built, check the vars and that every required table and
    every required column of the tables present is there, and stop with one message listing every
    problem. An optional table the export lacks is no problem: one log line names it and the marts
    that will be empty (dataverse_table_availability records it; a warn test flags it).
-#}
{% macro validate_dataverse_export() %}
    {%- if not execute or flags.WHICH not in ['build', 'run'] -%}
        {{- return('') -}}
    {%- endif -%}
    {%- do reporting_timezone() -%}
    {%- set choice = dataverse_format_choice() -%}
    {%- do log("Dataverse export: reading format " ~ choice.format ~ " (" ~ choice.reason ~ ")", info=True) -%}
    {%- set problems = [] -%}
    {%- set missing = [] -%}
    {%- for table in dataverse_audited_tables() -%}
        {%- set present = dataverse_find_columns(dataverse_source_relation(table.name), table.name) -%}
        {%- if present is none -%}
            {%- do missing.append(table.name) -%}
            {%- if table.required -%}
                {%- do problems.append("table '" ~ table.name ~ "' not found: expected " ~ dataverse_table_location(table.name)) -%}
            {%- else -%}
                {%- do log("Dataverse export: optional table " ~ table.name ~ " is absent (expected "
                    ~ dataverse_table_location(table.name) ~ "); the marts that read it get no rows from it: "
                    ~ (dataverse_table_dependent_marts(table.name) | join(', ') or 'none'), info=True) -%}
            {%- endif -%}
        {%- else -%}
            {%- for column in dataverse_table_spec(table.name).columns
                if column.required and column.name not in present -%}
                {%- do problems.append("table '" ~ table.name ~ "' lacks the required column '" ~ column.name ~ "'") -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if missing | length == dataverse_audited_tables() | length -%}
        {%- do problems.insert(0, "no table of the export was found: check var dataverse_path (now '"
            ~ var('dataverse_path') ~ "') or dataverse_schema (now '" ~ var('dataverse_schema') ~ "')") -%}
    {%- endif -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            "The Dataverse export cannot be loaded:\n  - " ~ problems | join("\n  - ")) }}
    {%- endif -%}
    {%- if choice.format == 'cdm' -%}
        {%- do dataverse_cdm_choice_report() -%}
    {%- endif -%}
    {{- return('') -}}
{% endmacro %}


{#- The relation a source table resolves to, from the graph (source() is not callable in hooks). -#}
{% macro dataverse_source_relation(table_name) %}
    {%- set node = graph.sources['source.' ~ project_name ~ '.dataverse.' ~ table_name] -%}
    {{- return(adapter.dispatch('dataverse_source_relation', 'omnichannel_analytics')(node)) -}}
{% endmacro %}

{% macro default__dataverse_source_relation(node) %}
    {{- return(api.Relation.create(database=node.database, schema=node.schema, identifier=node.identifier)) -}}
{% endmacro %}
