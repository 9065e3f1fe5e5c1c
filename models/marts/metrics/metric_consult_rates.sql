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
        timed_out_consults,
        {{ safe_divide('accepted_consults', 'consult_requests') }} as consult_acceptance_rate,
        {{ safe_divide('not_accepted_consults', 'consult_requests') }} as consult_not_accepted_rate,
        {{ safe_divide('rejected_consults', 'consult_requests') }} as consult_rejection_rate,
        {{ safe_divide('timed_out_consults', 'consult_requests') }} as consult_timeout_rate
    from aggregated

)

select * from final
