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
        handle_time_seconds_sum,
        handle_time_count,
        {{ safe_divide('handle_time_seconds_sum', 'handle_time_count') }} as avg_session_handle_time_seconds
    from aggregated

)

select * from final
