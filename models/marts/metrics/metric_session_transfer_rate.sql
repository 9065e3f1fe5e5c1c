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
        transferred_sessions,
        engaged_sessions as handled_sessions,
        {{ safe_divide('transferred_sessions', 'engaged_sessions') }} as session_transfer_rate
    from aggregated

)

select * from final
