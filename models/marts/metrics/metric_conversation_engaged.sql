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
        engaged_conversations
    from aggregated

)

select * from final
