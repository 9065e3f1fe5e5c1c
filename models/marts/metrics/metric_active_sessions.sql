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
        active_sessions
    from aggregated

)

select * from final
