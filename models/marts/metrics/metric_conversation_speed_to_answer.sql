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
        speed_to_answer_seconds_sum,
        speed_to_answer_count,
        {{ safe_divide('speed_to_answer_seconds_sum', 'speed_to_answer_count') }} as avg_speed_to_answer_seconds
    from aggregated

)

select * from final
