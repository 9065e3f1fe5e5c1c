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
        time_to_accept_seconds_sum,
        time_to_accept_count,
        {{ safe_divide('time_to_accept_seconds_sum', 'time_to_accept_count') }} as avg_time_to_accept_seconds
    from aggregated

)

select * from final
