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


{#-
    Every raw row of a Dataverse table (its base model's columns) with its final load_state and
    quarantine_reason: the key-level state of the base model, except that a current row of a
    child table whose session does not exist (not current in msdyn_ocsession) is quarantined
    as an orphan. With state given, only the rows in that state.
-#}
{% macro dataverse_row_states(table_name, state=none) -%}
    {%- set table = dataverse_audited_tables() | selectattr('name', 'equalto', table_name) | first -%}
    {%- if table.session_reference -%}
        {%- set orphan = "base_rows._load_state = 'current' and existing_sessions.session_id is null" -%}
        {%- set load_state = "case when " ~ orphan ~ " then 'quarantined' else base_rows._load_state end" -%}
        {%- set reason = "case when " ~ orphan ~ " then 'orphan: session not found' else base_rows._quarantine_reason end" -%}
    {%- else -%}
        {%- set load_state = 'base_rows._load_state' -%}
        {%- set reason = 'base_rows._quarantine_reason' -%}
    {%- endif -%}
    select
        base_rows.*,
        {{ load_state }} as load_state,
        {{ reason }} as quarantine_reason
    from {{ ref(table.base_model) }} as base_rows
    {%- if table.session_reference %}
    left join (
        select activityid as session_id
        from {{ ref('base_dataverse__sessions') }}
        where _load_state = 'current'
    ) as existing_sessions
        on base_rows.{{ table.session_reference }} = existing_sessions.session_id
    {%- endif %}
    {%- if state %}
    where {{ load_state }} = '{{ state }}'
    {%- endif %}
{%- endmacro %}


{#- union all of one select per Dataverse table: columns_sql over the rows of dataverse_row_states, or over the source. -#}
{% macro dataverse_union_tables(columns_sql, from_source=false, where_sql='true') -%}
    {%- for table in dataverse_audited_tables() %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        '{{ table.name }}' as table_name,
        {{ columns_sql | replace('{key}', table.key) }}
    {%- if from_source %}
    from {{ source('dataverse', table.name) }}
    {%- else %}
    from ({{ dataverse_row_states(table.name) }}) as row_states
    {%- endif %}
    where {{ where_sql }}
    {%- endfor %}
{%- endmacro %}
