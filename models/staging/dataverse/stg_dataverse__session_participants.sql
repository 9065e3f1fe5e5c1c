{#-
    Current session participants. A participant whose session is not a current session (never
    exported, or deleted) is an orphan: not staged, and counted as quarantined by the load audit.
    msdyn_activetime below 0 is a data fault: active_time_seconds is NULL (it counts 0 in handle
    time); the value as exported stays in exported_active_time_seconds for the fault report.
-#}
with

participants as (

    select * from {{ ref('base_dataverse__session_participants') }}
    where _load_state = 'current'

),

current_sessions as (

    select activityid as session_id
    from {{ ref('base_dataverse__sessions') }}
    where _load_state = 'current'

),

source as (

    select participants.*
    from participants
    inner join current_sessions
        on participants.msdyn_omnichannelsession = current_sessions.session_id

),

renamed as (

    select
        msdyn_sessionparticipantid as session_participant_id,
        msdyn_omnichannelsession as session_id,
        msdyn_agentid as agent_id,
        msdyn_mode as participant_mode_code,
        msdyn_addedon as added_at,
        msdyn_joinedon as joined_at,
        msdyn_lefton as left_at,
        msdyn_leftonreason as left_reason,
        msdyn_externalparticipantchannel as external_participant_channel,
        msdyn_externalparticipantchanneltype as external_participant_channel_type_code,
        versionnumber as version_number,
        sinkmodifiedon as sink_modified_at,
        msdyn_activetime as exported_active_time_seconds,
        case when msdyn_activetime >= 0 then msdyn_activetime end as active_time_seconds,
        case when msdyn_inactivetime >= 0 then msdyn_inactivetime end as inactive_time_seconds,
        case when msdyn_talktime >= 0 then msdyn_talktime end as talk_time_seconds,
        case when msdyn_holdtime >= 0 then msdyn_holdtime end as hold_time_seconds,
        case when msdyn_activewrapuptime >= 0 then msdyn_activewrapuptime end as active_wrap_up_time_seconds
    from source

)

select * from renamed
