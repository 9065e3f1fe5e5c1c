{#-
    Current session participant events. An event whose session is not a current session is an
    orphan: not staged, and counted as quarantined by the load audit. Empty when the export has
    no msdyn_ocsessionparticipantevent table (an optional table).
-#}
with

events as (

    select * from {{ ref('base_dataverse__session_participant_events') }}
    where _load_state = 'current'

),

current_sessions as (

    select activityid as session_id
    from {{ ref('base_dataverse__sessions') }}
    where _load_state = 'current'

),

source as (

    select events.*
    from events
    inner join current_sessions
        on events.msdyn_sessionid = current_sessions.session_id

),

renamed as (

    select
        msdyn_ocsessionparticipanteventid as participant_event_id,
        msdyn_sessionid as session_id,
        msdyn_sessionparticipantid as session_participant_id,
        msdyn_eventtype as event_type_code,
        msdyn_eventreason as event_reason_code,
        msdyn_eventstarttime as started_at,
        msdyn_eventendtime as ended_at,
        msdyn_eventduration as exported_duration_seconds,
        versionnumber as version_number,
        sinkmodifiedon as sink_modified_at
    from source

)

select * from renamed
