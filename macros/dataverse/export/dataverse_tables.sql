{#-
    The Dataverse tables the project loads: the source table, its primary key, the base model
    that holds every raw row, the staging model that holds the current ones, and for the
    session's child tables the column that references the session.
-#}
{% macro dataverse_audited_tables() %}
    {%- set tables = [
        ('msdyn_ocsession', 'activityid', 'sessions', none),
        ('msdyn_sessionparticipant', 'msdyn_sessionparticipantid', 'session_participants', 'msdyn_omnichannelsession'),
        ('msdyn_ocliveworkitem', 'activityid', 'conversations', none),
        ('msdyn_ocsessionsentiment', 'msdyn_ocsessionsentimentid', 'session_sentiments', 'msdyn_omnichannelsession'),
        ('systemuser', 'systemuserid', 'system_users', none),
        ('queue', 'queueid', 'queues', none),
    ] -%}
    {%- set described = [] -%}
    {%- for name, key, entity, session_reference in tables -%}
        {%- do described.append({
            'name': name,
            'key': key,
            'base_model': 'base_dataverse__' ~ entity,
            'staging_model': 'stg_dataverse__' ~ entity,
            'session_reference': session_reference,
        }) -%}
    {%- endfor -%}
    {{- return(described) -}}
{% endmacro %}


{#- union all of one select per Dataverse table: columns_sql over the table's source ({key}: its primary key). -#}
{% macro dataverse_union_sources(columns_sql) -%}
    {%- for table in dataverse_audited_tables() %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        '{{ table.name }}' as table_name,
        {{ columns_sql | replace('{key}', table.key) }}
    from {{ dataverse_read(source('dataverse', table.name), table.name) }}
    {%- endfor %}
{%- endmacro %}
