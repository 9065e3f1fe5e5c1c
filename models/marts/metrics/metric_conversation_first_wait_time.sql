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
        first_wait_seconds_sum,
        first_wait_count,
        {{ safe_divide('first_wait_seconds_sum', 'first_wait_count') }} as avg_first_wait_seconds
    from aggregated

)

select * from final
