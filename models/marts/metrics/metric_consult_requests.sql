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
        consult_requests,
        accepted_consults,
        not_accepted_consults,
        rejected_consults,
        timed_out_consults
    from aggregated

)

select * from final
