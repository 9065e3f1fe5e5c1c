{{
    config(
        materialized=incremental_where_supported(),
        unique_key='conversation_id',
        on_schema_change='fail',
        post_hook="{{ delete_conversations_without_sessions() }}",
    )
}}

{#-
    One row per conversation with at least one in-scope session (the session scope decides the
    conversation scope: Entity Records and channel-instance sessions are out of both). Each
    conversation lands in one grain cell (conversation_date, queue_id, channel_code, agent_id).
    Definitions: docs/metrics.md#conversation-metrics.
    Incremental: a run recomputes, over all their sessions, the conversations with a session that
    changed after the latest source_modified_at already here, with a session of an agent that
    changed, whose conversation row changed, or whose session count no longer matches fct_sessions
    (a session deleted, out of scope or moved); the post-hook drops conversations left without
    sessions. Seeds, vars and the presence of the optional event table are not tracked.
-#}
{#- Hold and talk time need the hold events: without the (optional) event table they are NULL, not 0. -#}
{%- set hold_events_exported = 'true' if dataverse_table_is_present('msdyn_ocsessionparticipantevent') else 'false' -%}
with

high_water_mark as (

    {{ incremental_high_water_mark('source_modified_at') }}

),

-- Read by incremental runs only.
changed_conversation_ids as (  -- noqa: ST03

    {{ conversations_to_refresh('(select high_water_mark.modified_at from high_water_mark)') }}

),

sessions as (

    select * from {{ ref('fct_sessions') }}
    where conversation_id is not null {{ and_if_incremental(
        'conversation_id in (select changed_conversation_ids.conversation_id from changed_conversation_ids)'
    ) }}

),

conversations as (

    select * from {{ ref('stg_dataverse__conversations') }}
    {%- if is_incremental() %}
    where conversation_id in (select changed_conversation_ids.conversation_id from changed_conversation_ids)
    {%- endif %}

),

-- When each conversation row last changed in the lake (tombstones included).
conversation_row_changes as (

    select
        record_id as conversation_id,
        max(key_modified_at) as key_modified_at,
        count(key_modified_at) = count(*) as is_key_modified_at_known
    from {{ ref('stg_dataverse__row_changes') }}
    where table_name = 'msdyn_ocliveworkitem' {{ and_if_incremental(
        'record_id in (select changed_conversation_ids.conversation_id from changed_conversation_ids)'
    ) }}
    group by record_id

),

session_times as (

    select * from {{ ref('int_session_participant_times') }}

),

agent_session_times as (

    select
        sessions.conversation_id,
        sessions.session_id,
        sessions.accepted_at,
        sessions.is_engaged,
        session_times.active_seconds,
        session_times.talk_seconds,
        session_times.hold_seconds,
        session_times.active_wrap_up_seconds,
        session_times.last_agent_wrap_up_seconds,
        session_times.open_hold_events,
        session_times.transfer_in_transit_events,
        row_number() over (
            partition by sessions.conversation_id, sessions.is_engaged
            order by sessions.accepted_at desc, sessions.session_id desc
        ) as engaged_recency_rank
    from sessions
    inner join session_times
        on sessions.session_id = session_times.session_id
    where not sessions.is_bot_session

),

times_rollup as (

    select
        conversation_id,
        {{ sum_double('active_seconds') }} as active_seconds,
        {{ sum_double('talk_seconds') }} as talk_seconds,
        {{ sum_seconds('hold_seconds') }} as hold_seconds,
        {{ sum_double('active_wrap_up_seconds') }} as active_wrap_up_seconds,
        max(case when is_engaged and engaged_recency_rank = 1 then last_agent_wrap_up_seconds end)
            as last_agent_wrap_up_seconds,
        cast(sum(open_hold_events) as {{ dbt.type_bigint() }}) as open_hold_events,
        cast(sum(transfer_in_transit_events) as {{ dbt.type_bigint() }}) as transfer_in_transit_events
    from agent_session_times
    group by conversation_id

),

session_rollup as (

    select
        conversation_id,
        count(*) as session_count,
        {{ count_where('not is_bot_session') }} as agent_session_count,
        {{ count_where('is_transferred_out') }} as transferred_sessions,
        {{ count_where('is_engaged and not is_bot_session') }} as engaged_agent_sessions,
        {{ count_where('is_assigned and not is_bot_session') }} as assigned_agent_sessions,
        cast(sum(handle_time_seconds) as double) as handle_time_seconds,
        min(created_at) as first_session_created_at,
        max(closed_at) as last_session_closed_at,
        min(case when not is_bot_session then created_at end) as first_agent_session_created_at,
        min(case when not is_bot_session then accepted_at end) as first_accepted_at,
        case when count(source_modified_at) = count(*) then max(source_modified_at) end as sessions_modified_at
    from sessions
    group by conversation_id

),

ordered_sessions as (

    select
        conversation_id,
        channel_code,
        queue_id,
        row_number() over (
            partition by conversation_id order by created_at, session_id
        ) as first_rank,
        row_number() over (
            partition by conversation_id order by created_at desc, session_id desc
        ) as last_rank
    from sessions

),

last_engaged_agents as (

    select
        conversation_id,
        agent_id,
        row_number() over (
            partition by conversation_id order by accepted_at desc, session_id desc
        ) as engaged_rank
    from sessions
    where is_engaged and not is_bot_session

),

first_sessions as (

    select
        conversation_id,
        channel_code
    from ordered_sessions
    where first_rank = 1

),

last_sessions as (

    select
        conversation_id,
        queue_id
    from ordered_sessions
    where last_rank = 1

),

last_agents as (

    select
        conversation_id,
        agent_id
    from last_engaged_agents
    where engaged_rank = 1

),

joined as (

    select
        session_rollup.*,
        conversations.is_outbound,
        conversations.status_code,
        conversations.created_at as conversation_created_at,
        conversations.closed_at as conversation_closed_at,
        conversations.transfer_count as reported_transfer_count,
        conversations.reported_first_wait_seconds,
        first_sessions.channel_code,
        coalesce(conversations.queue_id, last_sessions.queue_id) as queue_id,
        coalesce(conversations.active_agent_id, last_agents.agent_id) as agent_id,
        coalesce(conversations.first_wait_started_at, session_rollup.first_agent_session_created_at)
            as first_wait_started_at,
        coalesce(conversations.status_code = 4, false) as is_closed,
        session_rollup.agent_session_count > 0 and not coalesce(conversations.is_outbound, false) as is_incoming,
        session_rollup.engaged_agent_sessions > 0 as is_engaged,
        coalesce(first_sessions.channel_code in ({{ voice_channel_codes() }}), false) as is_voice,
        coalesce(times_rollup.active_seconds, 0) as active_seconds,
        coalesce(times_rollup.talk_seconds, 0) as talk_seconds,
        coalesce(times_rollup.hold_seconds, 0) as hold_seconds,
        coalesce(times_rollup.active_wrap_up_seconds, 0) as active_wrap_up_seconds,
        times_rollup.last_agent_wrap_up_seconds,
        coalesce(times_rollup.open_hold_events, 0) as open_hold_events,
        coalesce(times_rollup.transfer_in_transit_events, 0) as transfer_in_transit_events,
        -- NULL (recomputed by every incremental run) when a session's or the conversation row's time is unknown.
        case
            when session_rollup.sessions_modified_at is not null
                and coalesce(conversation_row_changes.is_key_modified_at_known, true)
                then greatest(
                        session_rollup.sessions_modified_at,
                        coalesce(conversation_row_changes.key_modified_at, session_rollup.sessions_modified_at)
                    )
        end as source_modified_at
    from session_rollup
    left join conversations
        on session_rollup.conversation_id = conversations.conversation_id
    left join first_sessions
        on session_rollup.conversation_id = first_sessions.conversation_id
    left join last_sessions
        on session_rollup.conversation_id = last_sessions.conversation_id
    left join last_agents
        on session_rollup.conversation_id = last_agents.conversation_id
    left join times_rollup
        on session_rollup.conversation_id = times_rollup.conversation_id
    left join conversation_row_changes
        on session_rollup.conversation_id = conversation_row_changes.conversation_id

),

measured as (

    select
        *,
        case
            when is_incoming and is_engaged then {{ duration_seconds('first_wait_started_at', 'first_accepted_at') }}
        end as first_wait_seconds,
        case
            when is_closed then {{ duration_seconds('conversation_created_at', 'conversation_closed_at') }}
        end as conversation_time_seconds,
        coalesce(reported_transfer_count, transferred_sessions) as transfer_count,
        case
            when is_engaged and is_voice and {{ hold_events_exported }}
                then talk_seconds + hold_seconds + active_wrap_up_seconds
            when is_engaged then active_seconds + active_wrap_up_seconds
        end as conversation_handle_time_seconds,
        case when is_engaged and is_voice and {{ hold_events_exported }} then hold_seconds end as hold_time_seconds,
        case when is_engaged and is_voice and {{ hold_events_exported }} then talk_seconds end as talk_time_seconds,
        case when is_engaged then last_agent_wrap_up_seconds end as wrap_up_time_seconds
    from joined

),

final as (

    select
        conversation_id,
        {{ to_reporting_date('coalesce(conversation_created_at, first_session_created_at)') }} as conversation_date,
        queue_id,
        cast(channel_code as {{ dbt.type_int() }}) as channel_code,
        agent_id,
        is_outbound,
        cast(status_code as {{ dbt.type_int() }}) as status_code,
        conversation_created_at,
        conversation_closed_at,
        session_count,
        agent_session_count,
        transferred_sessions,
        handle_time_seconds,
        first_session_created_at,
        last_session_closed_at,
        is_closed,
        is_incoming,
        coalesce(is_outbound, false) as is_outgoing,
        is_engaged,
        is_incoming and is_closed and not is_engaged as is_abandoned,
        is_incoming and is_closed and not is_engaged and assigned_agent_sessions > 0 as is_abandoned_after_assignment,
        first_wait_started_at,
        first_accepted_at,
        first_wait_seconds,
        conversation_time_seconds,
        cast(transfer_count as {{ dbt.type_bigint() }}) as transfer_count,
        coalesce(transfer_count > 0, false) as is_transferred,
        cast(reported_first_wait_seconds as {{ dbt.type_int() }}) as reported_first_wait_seconds,
        coalesce(abs(first_wait_seconds - reported_first_wait_seconds) >= 1, false) as is_first_wait_disputed,
        is_voice,
        conversation_handle_time_seconds,
        hold_time_seconds,
        talk_time_seconds,
        wrap_up_time_seconds,
        open_hold_events,
        transfer_in_transit_events,
        cast(source_modified_at as {{ dbt.type_timestamp() }}) as source_modified_at
    from measured

)

select * from final
