{#-
    One row per raw row of every Dataverse table the project reads: what became of it (its load
    state and, when quarantined, why), when its key last changed in the lake, and which values
    could not be parsed. The load audit, the data faults and the change tracking of the
    incremental marts read it. States: current, superseded, deleted, quarantined (a null or
    malformed key, or a current child row whose session is not a current session: an orphan).
-#}
with

current_sessions as (

    select activityid as session_id
    from {{ ref('base_dataverse__sessions') }}
    where _load_state = 'current'

),

sessions as (

    select
        'msdyn_ocsession' as table_name,
        activityid as record_id,
        activityid as session_id,
        _version_rank as version_rank,
        _load_state as load_state,
        _quarantine_reason as quarantine_reason,
        _key_modified_at as key_modified_at,
        _unparseable_columns as unparseable_columns
    from {{ ref('base_dataverse__sessions') }}

),

session_participants as (

    select
        'msdyn_sessionparticipant' as table_name,
        msdyn_sessionparticipantid as record_id,
        msdyn_omnichannelsession as session_id,
        _version_rank as version_rank,
        _load_state as load_state,
        _quarantine_reason as quarantine_reason,
        _key_modified_at as key_modified_at,
        _unparseable_columns as unparseable_columns
    from {{ ref('base_dataverse__session_participants') }}

),

session_sentiments as (

    select
        'msdyn_ocsessionsentiment' as table_name,
        msdyn_ocsessionsentimentid as record_id,
        msdyn_omnichannelsession as session_id,
        _version_rank as version_rank,
        _load_state as load_state,
        _quarantine_reason as quarantine_reason,
        _key_modified_at as key_modified_at,
        _unparseable_columns as unparseable_columns
    from {{ ref('base_dataverse__session_sentiments') }}

),

conversations as (

    select
        'msdyn_ocliveworkitem' as table_name,
        activityid as record_id,
        cast(null as {{ dbt.type_string() }}) as session_id,
        _version_rank as version_rank,
        _load_state as load_state,
        _quarantine_reason as quarantine_reason,
        _key_modified_at as key_modified_at,
        _unparseable_columns as unparseable_columns
    from {{ ref('base_dataverse__conversations') }}

),

system_users as (

    select
        'systemuser' as table_name,
        systemuserid as record_id,
        cast(null as {{ dbt.type_string() }}) as session_id,
        _version_rank as version_rank,
        _load_state as load_state,
        _quarantine_reason as quarantine_reason,
        _key_modified_at as key_modified_at,
        _unparseable_columns as unparseable_columns
    from {{ ref('base_dataverse__system_users') }}

),

queues as (

    select
        'queue' as table_name,
        queueid as record_id,
        cast(null as {{ dbt.type_string() }}) as session_id,
        _version_rank as version_rank,
        _load_state as load_state,
        _quarantine_reason as quarantine_reason,
        _key_modified_at as key_modified_at,
        _unparseable_columns as unparseable_columns
    from {{ ref('base_dataverse__queues') }}

),

session_participant_events as (

    select
        'msdyn_ocsessionparticipantevent' as table_name,
        msdyn_ocsessionparticipanteventid as record_id,
        msdyn_sessionid as session_id,
        _version_rank as version_rank,
        _load_state as load_state,
        _quarantine_reason as quarantine_reason,
        _key_modified_at as key_modified_at,
        _unparseable_columns as unparseable_columns
    from {{ ref('base_dataverse__session_participant_events') }}

),

agent_status_history as (

    select
        'msdyn_agentstatushistory' as table_name,
        msdyn_agentstatushistoryid as record_id,
        cast(null as {{ dbt.type_string() }}) as session_id,
        _version_rank as version_rank,
        _load_state as load_state,
        _quarantine_reason as quarantine_reason,
        _key_modified_at as key_modified_at,
        _unparseable_columns as unparseable_columns
    from {{ ref('base_dataverse__agent_status_history') }}

),

presences as (

    select
        'msdyn_presence' as table_name,
        msdyn_presenceid as record_id,
        cast(null as {{ dbt.type_string() }}) as session_id,
        _version_rank as version_rank,
        _load_state as load_state,
        _quarantine_reason as quarantine_reason,
        _key_modified_at as key_modified_at,
        _unparseable_columns as unparseable_columns
    from {{ ref('base_dataverse__presences') }}

),

child_rows as (

    select * from session_participants
    union all
    select * from session_sentiments
    union all
    select * from session_participant_events

),

child_rows_with_orphans as (

    select
        child_rows.table_name,
        child_rows.record_id,
        child_rows.session_id,
        child_rows.version_rank,
        case
            when child_rows.load_state = 'current' and current_sessions.session_id is null then 'quarantined'
            else child_rows.load_state
        end as load_state,
        case
            when child_rows.load_state = 'current' and current_sessions.session_id is null
                then 'orphan: session not found'
            else child_rows.quarantine_reason
        end as quarantine_reason,
        child_rows.key_modified_at,
        child_rows.unparseable_columns
    from child_rows
    left join current_sessions
        on child_rows.session_id = current_sessions.session_id

),

unioned as (

    select * from sessions
    union all
    select * from child_rows_with_orphans
    union all
    select * from conversations
    union all
    select * from system_users
    union all
    select * from queues
    union all
    select * from agent_status_history
    union all
    select * from presences

)

select * from unioned
