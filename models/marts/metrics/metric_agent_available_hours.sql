with

aggregated as (

    select * from {{ ref('fct_agent_presence_daily') }}

),

final as (

    select
        presence_date,
        agent_id,
        available_seconds,
        available_seconds / 3600.0 as available_hours
    from aggregated

)

select * from final
