with

aggregated as (

    select * from {{ ref('int_sessions_aggregated_to_grain') }}

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
