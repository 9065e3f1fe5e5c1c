with

aggregated as (

    select * from {{ ref('fct_conversation_metrics_daily') }}

),

final as (

    select
        conversation_date,
        queue_id,
        channel_code,
        agent_id,
        sessions,
        total_conversations,
        {{ safe_divide('sessions', 'total_conversations') }} as avg_sessions_per_conversation
    from aggregated

)

select * from final
