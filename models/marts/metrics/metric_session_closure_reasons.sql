with

aggregated as (

    select * from {{ ref('fct_session_closure_reasons_daily') }}

),

final as (

    select
        session_date,
        queue_id,
        channel_code,
        agent_id,
        closure_reason_code,
        closure_reason_label,
        sessions
    from aggregated

)

select * from final
