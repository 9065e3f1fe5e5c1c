{#-
    Data faults that do not make a row unusable: the row is kept, the faulty value became NULL
    (or the duration it feeds is NULL), and the fault is listed here, one row per record and
    fault. Faults are recorded on current rows: the rows that reach the marts.
-#}
with

row_states as (

    select * from {{ ref('stg_dataverse__row_states') }}

),

unparseable_values as (

    select
        table_name,
        record_id,
        'unparseable value' as fault,
        unparseable_columns as detail
    from row_states
    where load_state = 'current'
        and unparseable_columns is not null

),

sessions as (

    select * from {{ ref('fct_sessions') }}

),

session_faults as (

    select
        'msdyn_ocsession' as table_name,
        session_id as record_id,
        'wait time end before start' as fault,
        'msdyn_sessioncreatedon' as detail
    from sessions
    where is_closed and coalesce(accepted_at, closed_at) < created_at

    union all

    select
        'msdyn_ocsession' as table_name,
        session_id as record_id,
        'time to accept end before start' as fault,
        'msdyn_agentassignedon' as detail
    from sessions
    where accepted_at < assigned_at

    union all

    select
        'msdyn_ocsession' as table_name,
        session_id as record_id,
        'time to reject end before start' as fault,
        'msdyn_agentassignedon' as detail
    from sessions
    where is_rejected and closed_at < assigned_at

    union all

    select
        'msdyn_ocsession' as table_name,
        session_id as record_id,
        'unknown closure reason code' as fault,
        'msdyn_closurereason' as detail
    from sessions
    where closure_reason_label = 'Unknown'

    union all

    select
        'msdyn_ocsession' as table_name,
        session_id as record_id,
        'unknown channel code' as fault,
        'msdyn_channel' as detail
    from sessions
    where channel_code is not null and channel_name is null

),

participants as (

    select * from {{ ref('stg_dataverse__session_participants') }}

),

participant_faults as (

    select
        'msdyn_sessionparticipant' as table_name,
        session_participant_id as record_id,
        case
            when exported_active_time_seconds < 0 then 'negative activetime'
            else 'absurd activetime'
        end as fault,
        cast(exported_active_time_seconds as {{ dbt.type_string() }}) as detail
    from participants
    where exported_active_time_seconds < 0
        or exported_active_time_seconds > {{ var('max_plausible_active_time_seconds', 86400) }}

),

status_history as (

    select * from {{ ref('stg_dataverse__agent_status_history') }}

),

presences as (

    select * from {{ ref('stg_dataverse__presences') }}

),

status_history_faults as (

    select
        'msdyn_agentstatushistory' as table_name,
        agent_status_history_id as record_id,
        'presence interval end before start' as fault,
        'msdyn_endtime' as detail
    from status_history
    where ended_at < started_at

    union all

    select
        'msdyn_agentstatushistory' as table_name,
        agent_status_history_id as record_id,
        'unknown presence' as fault,
        presence_id as detail
    from status_history
    where
        presence_id is null
        or presence_id not in (
            select presences.presence_id
            from presences
            where presences.presence_id is not null
        )

),

unioned as (

    select * from unparseable_values
    union all
    select * from session_faults
    union all
    select * from participant_faults
    union all
    select * from status_history_faults

),

final as (

    select
        {{ surrogate_key(['table_name', 'record_id', 'fault']) }} as data_fault_key,
        table_name,
        record_id,
        fault,
        detail
    from unioned

)

select * from final
