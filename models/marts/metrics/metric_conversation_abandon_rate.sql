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
        abandoned_conversations,
        incoming_conversations,
        {{ safe_divide('abandoned_conversations', 'incoming_conversations') }} as abandon_rate
    from aggregated

)

select * from final
