{{
    config(
        materialized=incremental_where_supported(),
        unique_key='session_id',
        pre_hook="{{ delete_changed_sessions() }}",
    )
}}

{#-
    One row per session with a Primary participant: the times conversation metrics add up.
    Consult and monitor participants are left out (consult time is not handle time). Hold time
    is the sum of end - start of the Primary participants' Hold events, "session transfer in
    transit" events excluded; an event still open (no end) adds nothing and is counted apart.
    Definitions: docs/metrics.md#conversation-metrics.
    Incremental: as int_session_participants_rolled_up, a run recomputes the sessions that changed
    since the latest source_modified_at already here (their participants' events included, see
    int_session_changes_rolled_up); the pre-hook first drops their old rows.
-#}
with

session_changes as (

    select * from {{ ref('int_session_changes_rolled_up') }}

),

-- Read by incremental runs only.
changed_sessions as (  -- noqa: ST03

    {{ sessions_changed_since_last_run() }}

),

participants as (

    select * from {{ ref('stg_dataverse__session_participants') }}
    where participant_mode_code = {{ primary_participant_mode_code() }} {{ and_if_incremental(
        'session_id in (select changed_sessions.session_id from changed_sessions)'
    ) }}

),

hold_events as (

    select
        *,
        coalesce(event_reason_code = {{ transfer_in_transit_event_reason_code() }}, false) as is_in_transit
    from {{ ref('stg_dataverse__session_participant_events') }}
    where event_type_code = {{ hold_event_type_code() }} {{ and_if_incremental(
        'session_participant_id in (select participants.session_participant_id from participants)'
    ) }}

),

participant_holds as (

    select
        session_participant_id,
        {{ sum_seconds(
            'case when not is_in_transit then ' ~ duration_seconds('started_at', 'ended_at') ~ ' end'
        ) }} as hold_seconds,
        {{ count_where('not is_in_transit and ended_at is null') }} as open_hold_events,
        {{ count_where('is_in_transit') }} as transfer_in_transit_events
    from hold_events
    group by session_participant_id

),

ranked as (

    select
        participants.session_id,
        participants.active_time_seconds,
        participants.active_wrap_up_time_seconds,
        participant_holds.hold_seconds,
        participant_holds.open_hold_events,
        participant_holds.transfer_in_transit_events,
        coalesce(
            participants.talk_time_seconds,
            greatest(coalesce(participants.active_time_seconds, 0) - coalesce(participant_holds.hold_seconds, 0), 0)
        ) as talk_seconds,
        row_number() over (
            partition by participants.session_id
            order by
                participants.joined_at desc nulls last,
                participants.added_at desc nulls last,
                participants.session_participant_id desc
        ) as recency_rank
    from participants
    left join participant_holds
        on participants.session_participant_id = participant_holds.session_participant_id

),

rolled_up as (

    select
        session_id,
        cast(sum(coalesce(active_time_seconds, 0)) as double) as active_seconds,
        {{ sum_double('talk_seconds') }} as talk_seconds,
        {{ sum_double('hold_seconds') }} as hold_seconds,
        cast(sum(coalesce(active_wrap_up_time_seconds, 0)) as double) as active_wrap_up_seconds,
        cast(max(case when recency_rank = 1 then active_wrap_up_time_seconds end) as double)
            as last_agent_wrap_up_seconds,
        cast(coalesce(sum(open_hold_events), 0) as {{ dbt.type_bigint() }}) as open_hold_events,
        cast(coalesce(sum(transfer_in_transit_events), 0) as {{ dbt.type_bigint() }}) as transfer_in_transit_events
    from ranked
    group by session_id

),

final as (

    select
        rolled_up.*,
        session_changes.source_modified_at
    from rolled_up
    left join session_changes
        on rolled_up.session_id = session_changes.session_id

)

select * from final
