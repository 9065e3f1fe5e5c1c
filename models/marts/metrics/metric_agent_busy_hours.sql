with

aggregated as (

    select * from {{ ref('fct_agent_presence_daily') }}

),

final as (

    select
        presence_date,
        agent_id,
        busy_seconds,
        busy_seconds / 3600.0 as busy_hours
    from aggregated

)

select * from final
