{#-
    The Dataverse tables the project loads: the source table, its primary key, the base model
    that holds every raw row and the staging model that holds the current ones.
-#}
{% macro dataverse_audited_tables() %}
    {%- set tables = [
        ('msdyn_ocsession', 'activityid', 'sessions'),
        ('msdyn_sessionparticipant', 'msdyn_sessionparticipantid', 'session_participants'),
        ('msdyn_ocliveworkitem', 'activityid', 'conversations'),
        ('msdyn_ocsessionsentiment', 'msdyn_ocsessionsentimentid', 'session_sentiments'),
        ('systemuser', 'systemuserid', 'system_users'),
        ('queue', 'queueid', 'queues'),
    ] -%}
    {%- set described = [] -%}
    {%- for name, key, entity in tables -%}
        {%- do described.append({
            'name': name,
            'key': key,
            'base_model': 'base_dataverse__' ~ entity,
            'staging_model': 'stg_dataverse__' ~ entity,
        }) -%}
    {%- endfor -%}
    {{- return(described) -}}
{% endmacro %}


{#- union all of one select per Dataverse table; the select is columns_sql from the table's model_key model. -#}
{% macro dataverse_union_tables(model_key, columns_sql, where_sql='true') -%}
    {%- for table in dataverse_audited_tables() %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        '{{ table.name }}' as table_name,
        {{ columns_sql | replace('{key}', table.key) }}
    {%- if model_key == 'source' %}
    from {{ source('dataverse', table.name) }}
    {%- else %}
    from {{ ref(table[model_key]) }}
    {%- endif %}
    where {{ where_sql }}
    {%- endfor %}
{%- endmacro %}
