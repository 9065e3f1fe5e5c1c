{#-
    One row per raw row of every Dataverse table the project reads, every version and tombstone
    included: the session it references and when its key last changed in the lake. What the change
    tracking of the incremental models reads: the rows of stg_dataverse__row_states without their
    load states and orphan check, so that an incremental run learns which keys changed without
    joining every raw row to the current sessions.
-#}
with

sessions as (

    select
        'msdyn_ocsession' as table_name,
        activityid as record_id,
        activityid as session_id,
        _version_rank as version_rank,
        _key_modified_at as key_modified_at
    from {{ ref('base_dataverse__sessions') }}

),

session_participants as (

    select
        'msdyn_sessionparticipant' as table_name,
        msdyn_sessionparticipantid as record_id,
        msdyn_omnichannelsession as session_id,
        _version_rank as version_rank,
        _key_modified_at as key_modified_at
    from {{ ref('base_dataverse__session_participants') }}

),

session_sentiments as (

    select
        'msdyn_ocsessionsentiment' as table_name,
        msdyn_ocsessionsentimentid as record_id,
        msdyn_omnichannelsession as session_id,
        _version_rank as version_rank,
        _key_modified_at as key_modified_at
    from {{ ref('base_dataverse__session_sentiments') }}

),

session_participant_events as (

    select
        'msdyn_ocsessionparticipantevent' as table_name,
        msdyn_ocsessionparticipanteventid as record_id,
        msdyn_sessionid as session_id,
        _version_rank as version_rank,
        _key_modified_at as key_modified_at
    from {{ ref('base_dataverse__session_participant_events') }}

),

conversations as (

    select
        'msdyn_ocliveworkitem' as table_name,
        activityid as record_id,
        cast(null as {{ dbt.type_string() }}) as session_id,
        _version_rank as version_rank,
        _key_modified_at as key_modified_at
    from {{ ref('base_dataverse__conversations') }}

),

system_users as (

    select
        'systemuser' as table_name,
        systemuserid as record_id,
        cast(null as {{ dbt.type_string() }}) as session_id,
        _version_rank as version_rank,
        _key_modified_at as key_modified_at
    from {{ ref('base_dataverse__system_users') }}

),

queues as (

    select
        'queue' as table_name,
        queueid as record_id,
        cast(null as {{ dbt.type_string() }}) as session_id,
        _version_rank as version_rank,
        _key_modified_at as key_modified_at
    from {{ ref('base_dataverse__queues') }}

),

agent_status_history as (

    select
        'msdyn_agentstatushistory' as table_name,
        msdyn_agentstatushistoryid as record_id,
        cast(null as {{ dbt.type_string() }}) as session_id,
        _version_rank as version_rank,
        _key_modified_at as key_modified_at
    from {{ ref('base_dataverse__agent_status_history') }}

),

presences as (

    select
        'msdyn_presence' as table_name,
        msdyn_presenceid as record_id,
        cast(null as {{ dbt.type_string() }}) as session_id,
        _version_rank as version_rank,
        _key_modified_at as key_modified_at
    from {{ ref('base_dataverse__presences') }}

),

unioned as (

    select * from sessions
    union all
    select * from session_participants
    union all
    select * from session_sentiments
    union all
    select * from session_participant_events
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
