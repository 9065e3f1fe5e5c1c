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
        hold_time_seconds_sum,
        hold_time_count,
        {{ safe_divide('hold_time_seconds_sum', 'hold_time_count') }} as avg_conversation_hold_time_seconds
    from aggregated

)

select * from final
