{#-
    One row per consult or monitor participant of an agent session: who was asked (the
    consulted or monitoring agent), on which session (its reporting date, queue and channel),
    and how the request ended (docs/metrics.md#consult-and-monitor-metrics):
    - a consult request is a participant in mode Consult; accepted when it has msdyn_joinedon,
      else not accepted: rejected (msdyn_leftonreason AgentReject), timed out (AgentTimeout) or
      neither (withdrawn);
    - consult time is the consulted agent's msdyn_activetime of an accepted consult;
    - monitor time is msdyn_lefton - msdyn_joinedon of a monitor (NULL while still monitoring).
-#}
with

participants as (

    select * from {{ ref('stg_dataverse__session_participants') }}
    where participant_mode_code in ({{ consult_participant_mode_code() }}, {{ monitor_participant_mode_code() }})

),

sessions as (

    select * from {{ ref('fct_sessions') }}
    where not is_bot_session

),

final as (

    select
        participants.session_participant_id,
        participants.session_id,
        sessions.session_date,
        sessions.queue_id,
        sessions.channel_code,
        participants.agent_id,
        case
            when participants.participant_mode_code = {{ consult_participant_mode_code() }} then 'consult'
            else 'monitor'
        end as participant_mode,
        participants.added_at,
        participants.joined_at,
        participants.left_at,
        participants.left_reason,
        participants.participant_mode_code = {{ consult_participant_mode_code() }} as is_consult,
        participants.participant_mode_code = {{ monitor_participant_mode_code() }} as is_monitor,
        participants.joined_at is not null as is_joined,
        coalesce(participants.left_reason = 'AgentReject', false) as is_rejected,
        coalesce(participants.left_reason = 'AgentTimeout', false) as is_timed_out,
        case
            when participants.participant_mode_code = {{ consult_participant_mode_code() }}
                and participants.joined_at is not null
                then cast(participants.active_time_seconds as double)
        end as consult_time_seconds,
        case
            when participants.participant_mode_code = {{ monitor_participant_mode_code() }}
                then {{ duration_seconds('participants.joined_at', 'participants.left_at') }}
        end as monitor_time_seconds
    from participants
    inner join sessions
        on participants.session_id = sessions.session_id

)

select * from final
