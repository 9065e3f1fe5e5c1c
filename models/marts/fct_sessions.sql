{{
    config(
        materialized=incremental_where_supported(),
        unique_key='session_id',
        on_schema_change='fail',
        post_hook="{{ delete_sessions_no_longer_in_scope() }}",
    )
}}

{#- Read only by incremental runs (agents and queues that changed); declared here so that dbt orders the models. -#}
{%- do ref('stg_dataverse__row_changes') -%}

{#-
    One row per current session in scope (docs/metrics.md#the-session-fact).
    Incremental: a run recomputes the sessions whose rows, or whose participants' or sentiments'
    rows, were written to the lake after the latest source_modified_at already here, and the
    sessions of agents or queues that changed; the post-hook removes sessions that were deleted
    or left the scope. Seeds and vars are not tracked: change them, then build with --full-refresh.
-#}

with

high_water_mark as (

    {{ incremental_high_water_mark('source_modified_at') }}

),

session_changes as (

    select * from {{ ref('int_session_changes_rolled_up') }}

),

-- Read by incremental runs only.
changed_session_ids as (  -- noqa: ST03

    select session_id
    from session_changes
    where source_modified_at > (select high_water_mark.modified_at from high_water_mark)
        or source_modified_at is null
    {%- if is_incremental() %}
    union
    select previous.session_id
    from {{ this }} as previous
    where previous.agent_id in (
        {{ keys_changed_since('systemuser', '(select high_water_mark.modified_at from high_water_mark)') }}
    )
        or previous.queue_id in (
            {{ keys_changed_since('queue', '(select high_water_mark.modified_at from high_water_mark)') }}
        )
    {%- endif %}

),

sessions as (

    select * from {{ ref('stg_dataverse__sessions') }}
    where {{ is_in_scope_session() }} {{ and_if_incremental(
        'session_id in (select changed_session_ids.session_id from changed_session_ids)'
    ) }}

),

participants as (

    select * from {{ ref('int_session_participants_rolled_up') }}

),

sentiments as (

    select * from {{ ref('int_session_sentiments_latest') }}

),

system_users as (

    select * from {{ ref('stg_dataverse__system_users') }}

),

queues as (

    select * from {{ ref('stg_dataverse__queues') }}

),

channels as (

    select * from {{ ref('dataverse_channels') }}

),

closure_reasons as (

    select * from {{ ref('dataverse_closure_reasons') }}

),

joined as (

    select
        sessions.session_id,
        sessions.session_display_id,
        sessions.conversation_id,
        sessions.queue_id,
        queues.queue_name,
        sessions.channel_code,
        channels.label as channel_name,
        participants.primary_agent_id as agent_id,
        system_users.full_name as agent_name,
        coalesce(system_users.is_bot, false) as is_bot_session,
        sessions.created_at,
        sessions.assigned_at,
        sessions.accepted_at,
        sessions.closed_at,
        sessions.state_code,
        (sessions.closed_at is not null or coalesce(sessions.state_code = {{ closed_session_state_code() }}, false))
            as is_closed,
        sessions.assigned_at is not null as is_assigned,
        sessions.accepted_at is not null as is_engaged,
        sessions.closure_reason_code,
        case
            when sessions.closure_reason_code is not null then coalesce(closure_reasons.label, 'Unknown')
        end as closure_reason_label,
        coalesce(closure_reasons.is_transfer, false) as is_transferred_out,
        coalesce(closure_reasons.is_reject, false) as is_rejected,
        coalesce(closure_reasons.is_timeout, false) as is_timed_out,
        participants.primary_active_time_seconds,
        coalesce(participants.is_primary_external_and_joined, false) as is_handled_by_external_participant,
        sentiments.customer_sentiment_pulse,
        sentiments.customer_sentiment_zone,
        session_changes.source_modified_at
    from sessions
    left join participants
        on sessions.session_id = participants.session_id
    left join system_users
        on participants.primary_agent_id = system_users.system_user_id
    left join queues
        on sessions.queue_id = queues.queue_id
    left join channels
        on sessions.channel_code = channels.code
    left join closure_reasons
        on sessions.closure_reason_code = closure_reasons.code
    left join sentiments
        on sessions.session_id = sentiments.session_id
    left join session_changes
        on sessions.session_id = session_changes.session_id

),

measured as (

    select
        session_id,
        session_display_id,
        conversation_id,
        queue_id,
        queue_name,
        channel_code,
        channel_name,
        agent_id,
        agent_name,
        is_bot_session,
        created_at,
        assigned_at,
        accepted_at,
        closed_at,
        {{ to_reporting_date('created_at') }} as session_date,
        state_code,
        is_closed,
        not is_closed as is_active,
        is_assigned,
        is_engaged,
        closure_reason_code,
        closure_reason_label,
        is_transferred_out,
        is_rejected,
        is_timed_out,
        case
            when is_closed then {{ duration_seconds('created_at', 'coalesce(accepted_at, closed_at)') }}
        end as wait_time_seconds,
        {{ duration_seconds('assigned_at', 'accepted_at') }} as time_to_accept_seconds,
        case
            when is_rejected then {{ duration_seconds('assigned_at', 'closed_at') }}
        end as time_to_reject_seconds,
        case
            when is_engaged then coalesce(primary_active_time_seconds, 0)
        end as handle_time_seconds,
        is_handled_by_external_participant,
        customer_sentiment_pulse,
        customer_sentiment_zone,
        source_modified_at
    from joined

),

final as (

    select
        session_id,
        session_display_id,
        conversation_id,
        queue_id,
        queue_name,
        cast(channel_code as {{ dbt.type_int() }}) as channel_code,
        channel_name,
        agent_id,
        agent_name,
        is_bot_session,
        created_at,
        assigned_at,
        accepted_at,
        closed_at,
        session_date,
        cast(state_code as {{ dbt.type_int() }}) as state_code,
        is_closed,
        is_active,
        is_assigned,
        is_engaged,
        cast(closure_reason_code as {{ dbt.type_int() }}) as closure_reason_code,
        closure_reason_label,
        is_transferred_out,
        is_rejected,
        is_timed_out,
        cast(wait_time_seconds as double) as wait_time_seconds,
        cast(time_to_accept_seconds as double) as time_to_accept_seconds,
        cast(time_to_reject_seconds as double) as time_to_reject_seconds,
        cast(handle_time_seconds as double) as handle_time_seconds,
        is_handled_by_external_participant,
        cast(customer_sentiment_pulse as double) as customer_sentiment_pulse,
        customer_sentiment_zone,
        source_modified_at
    from measured

)

select * from final
