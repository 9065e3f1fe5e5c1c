{#-
    The schema a model is built in. Each layer's folder config names its schema (+schema:
    staging, intermediate, marts, audit). On PostgreSQL each layer gets its own schema,
    <target schema>_<layer>, so that a BI role is given the marts and nothing else (dbt's own
    naming). DuckDB and Spark build every layer in the target schema, as they always did: on
    DuckDB least privilege is the serving file (`make publish`).
-#}
{% macro generate_schema_name(custom_schema_name, node) %}
    {{- return(adapter.dispatch('layer_schema_name', 'omnichannel_analytics')(custom_schema_name, node)) -}}
{% endmacro %}

{% macro default__layer_schema_name(custom_schema_name, node) %}
    {{- return(target.schema | trim) -}}
{% endmacro %}

{% macro postgres__layer_schema_name(custom_schema_name, node) %}
    {%- if custom_schema_name is none -%}
        {{- return(target.schema | trim) -}}
    {%- endif -%}
    {{- return(target.schema | trim ~ '_' ~ custom_schema_name | trim) -}}
{% endmacro %}
