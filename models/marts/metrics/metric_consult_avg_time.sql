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
        consult_time_seconds_sum,
        consult_time_count,
        {{ safe_divide('consult_time_seconds_sum', 'consult_time_count') }} as avg_consult_time_seconds
    from aggregated

)

select * from final
