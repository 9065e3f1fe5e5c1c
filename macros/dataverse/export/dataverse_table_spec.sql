{#-
    The columns the project reads from one Dataverse table, from the source YAML:
    a list of {name, kind, required} and the table's primary key. One place describes
    the input contract: models/staging/dataverse/_dataverse__sources.yml.
-#}
{% macro dataverse_table_spec(table_name) %}
    {%- set node = graph.sources.get('source.' ~ project_name ~ '.dataverse.' ~ table_name) -%}
    {%- if node is none -%}
        {{ exceptions.raise_compiler_error("No source dataverse." ~ table_name ~ " is declared.") }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in node.columns.values() -%}
        {%- set meta = column.config.meta if column.config and column.config.meta else column.meta -%}
        {%- do columns.append({
            'name': column.name | lower,
            'kind': meta.get('kind', 'string'),
            'required': meta.get('required', false),
        }) -%}
    {%- endfor -%}
    {%- set table_meta = node.config.meta if node.config and node.config.meta else node.meta -%}
    {{- return({'columns': columns, 'primary_key': table_meta['primary_key']}) -}}
{% endmacro %}
