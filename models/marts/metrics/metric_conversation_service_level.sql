{#- One row per grain cell and service-level threshold (10, 20, 30, 40, 60, 120 s). -#}
with

aggregated as (

    select * from {{ ref('fct_conversation_metrics_daily') }}

),

by_threshold as (

    select
        conversation_date,
        queue_id,
        channel_code,
        agent_id,
        10 as threshold_seconds,
        answered_within_10s_conversations as answered_within_threshold_conversations,
        accepted_incoming_conversations
    from aggregated

    union all

    select
        conversation_date,
        queue_id,
        channel_code,
        agent_id,
        20 as threshold_seconds,
        answered_within_20s_conversations as answered_within_threshold_conversations,
        accepted_incoming_conversations
    from aggregated

    union all

    select
        conversation_date,
        queue_id,
        channel_code,
        agent_id,
        30 as threshold_seconds,
        answered_within_30s_conversations as answered_within_threshold_conversations,
        accepted_incoming_conversations
    from aggregated

    union all

    select
        conversation_date,
        queue_id,
        channel_code,
        agent_id,
        40 as threshold_seconds,
        answered_within_40s_conversations as answered_within_threshold_conversations,
        accepted_incoming_conversations
    from aggregated

    union all

    select
        conversation_date,
        queue_id,
        channel_code,
        agent_id,
        60 as threshold_seconds,
        answered_within_60s_conversations as answered_within_threshold_conversations,
        accepted_incoming_conversations
    from aggregated

    union all

    select
        conversation_date,
        queue_id,
        channel_code,
        agent_id,
        120 as threshold_seconds,
        answered_within_120s_conversations as answered_within_threshold_conversations,
        accepted_incoming_conversations
    from aggregated

),

final as (

    select
        conversation_date,
        queue_id,
        channel_code,
        agent_id,
        cast(threshold_seconds as {{ dbt.type_int() }}) as threshold_seconds,
        answered_within_threshold_conversations,
        accepted_incoming_conversations,
        {{ safe_divide('answered_within_threshold_conversations', 'accepted_incoming_conversations') }} as service_level
    from by_threshold

)

select * from final
