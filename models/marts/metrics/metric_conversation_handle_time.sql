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
        conversation_handle_time_seconds_sum,
        conversation_handle_time_count,
        {{ safe_divide('conversation_handle_time_seconds_sum', 'conversation_handle_time_count') }}
            as avg_conversation_handle_time_seconds
    from aggregated

)

select * from final
