with

aggregated as (

    select * from {{ ref('fct_agent_presence_daily') }}

),

final as (

    select
        presence_date,
        agent_id,
        logged_in_seconds,
        logged_in_seconds / 3600.0 as logged_in_hours
    from aggregated

)

select * from final
