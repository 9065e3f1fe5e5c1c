with

aggregated as (

    select * from {{ ref('fct_session_metrics_daily') }}

),

final as (

    select
        session_date,
        queue_id,
        channel_code,
        agent_id,
        wait_time_seconds_sum,
        wait_time_count,
        {{ safe_divide('wait_time_seconds_sum', 'wait_time_count') }} as avg_session_wait_time_seconds
    from aggregated

)

select * from final
