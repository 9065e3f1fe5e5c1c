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
        transferred_sessions,
        engaged_sessions as handled_sessions,
        {{ safe_divide('transferred_sessions', 'engaged_sessions') }} as session_transfer_rate
    from aggregated

)

select * from final
