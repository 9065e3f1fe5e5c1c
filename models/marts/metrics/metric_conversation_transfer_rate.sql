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
        transferred_conversations,
        accepted_closed_conversations,
        {{ safe_divide('transferred_conversations', 'accepted_closed_conversations') }} as conversation_transfer_rate
    from aggregated

)

select * from final
