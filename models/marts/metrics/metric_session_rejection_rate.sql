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
        rejected_sessions,
        assigned_sessions,
        {{ safe_divide('rejected_sessions', 'assigned_sessions') }} as session_rejection_rate
    from aggregated

)

select * from final
