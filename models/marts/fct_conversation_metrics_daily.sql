{#-
    The additive parts of every conversation metric at the grain (conversation_date, queue_id,
    channel_code, agent_id): each conversation counted once, in its own cell, so every part sums
    across cells. Each definition is written here once; the metric_conversation_* views only
    select and divide. Definitions: docs/metrics.md#conversation-metrics.
-#}
{%- set thresholds = [10, 20, 30, 40, 60, 120] -%}

with

conversations as (

    select
        *,
        case when is_incoming and is_engaged then first_wait_seconds end as answered_wait
    from {{ ref('fct_conversations') }}

),

aggregated as (

    select
        conversation_date,
        queue_id,
        channel_code,
        agent_id,
        count(*) as total_conversations,
        {{ count_where('is_incoming') }} as incoming_conversations,
        {{ count_where('is_outgoing') }} as outgoing_conversations,
        {{ count_where('is_engaged') }} as engaged_conversations,
        {{ count_where('is_abandoned') }} as abandoned_conversations,
        {{ count_where('is_abandoned_after_assignment') }} as abandoned_after_assignment_conversations,
        {{ count_where('is_incoming and is_engaged') }} as accepted_incoming_conversations,
        {%- for threshold in thresholds %}
        {{ count_where('answered_wait <= ' ~ threshold) }} as answered_within_{{ threshold }}s_conversations,  -- noqa: LT02, LT05
        {%- endfor %}
        {{ sum_seconds('first_wait_seconds') }} as first_wait_seconds_sum,
        count(first_wait_seconds) as first_wait_count,
        {{ sum_seconds('case when is_closed then first_wait_seconds end') }} as speed_to_answer_seconds_sum,
        count(case when is_closed then first_wait_seconds end) as speed_to_answer_count,
        {{ sum_seconds('conversation_time_seconds') }} as conversation_time_seconds_sum,
        count(conversation_time_seconds) as conversation_time_count,
        {{ count_where('is_transferred and is_engaged and is_closed') }} as transferred_conversations,
        {{ count_where('is_engaged and is_closed') }} as accepted_closed_conversations,
        cast(sum(session_count) as {{ dbt.type_bigint() }}) as sessions,
        {{ sum_seconds('case when is_closed then conversation_handle_time_seconds end') }} as conversation_handle_time_seconds_sum,  -- noqa: LT05
        count(case when is_closed then conversation_handle_time_seconds end) as conversation_handle_time_count,
        {{ sum_seconds('case when is_closed then hold_time_seconds end') }} as hold_time_seconds_sum,
        count(case when is_closed then hold_time_seconds end) as hold_time_count,
        {{ sum_seconds('case when is_closed then talk_time_seconds end') }} as talk_time_seconds_sum,
        count(case when is_closed then talk_time_seconds end) as talk_time_count,
        {{ sum_seconds('case when is_closed then wrap_up_time_seconds end') }} as wrap_up_time_seconds_sum,
        count(case when is_closed then wrap_up_time_seconds end) as wrap_up_time_count
    from conversations
    group by conversation_date, queue_id, channel_code, agent_id

),

final as (

    select
        {{ surrogate_key(['conversation_date', 'queue_id', 'channel_code', 'agent_id']) }} as conversation_grain_key,
        *
    from aggregated

)

select * from final
