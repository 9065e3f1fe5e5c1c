with

aggregated as (

    select * from {{ ref('fct_consults_daily') }}

),

final as (

    select
        session_date,
        queue_id,
        channel_code,
        agent_id,
        monitor_sessions,
        monitor_time_seconds_sum,
        monitor_time_count,
        {{ safe_divide('monitor_time_seconds_sum', 'monitor_time_count') }} as avg_monitor_time_seconds
    from aggregated

)

select * from final
