{#-
    on-run-end: the BI role (var bi_role) may look into the schema of the marts. dbt's grants
    config gives it select on each mart and metric view (dbt_project.yml); a schema's usage is
    not a relation's grant, so it is given here. PostgreSQL only; no role, nothing.
-#}
{% macro grant_bi_usage() %}
    {{- return(adapter.dispatch('grant_bi_usage', 'omnichannel_analytics')()) -}}
{% endmacro %}

{% macro default__grant_bi_usage() %}
    {{- return('') -}}
{% endmacro %}

{% macro postgres__grant_bi_usage() %}
    {%- set role = var('bi_role', '') -%}
    {%- if not execute or not role or flags.WHICH not in ['build', 'run'] -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set schemas = [] -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.fqn[1] == 'marts' and node.schema not in schemas -%}
        {%- do schemas.append(node.schema) -%}
    {%- endfor -%}
    {%- for schema in schemas %}
    grant usage on schema {{ adapter.quote(schema) }} to {{ adapter.quote(role) }};
    {%- endfor %}
{% endmacro %}
