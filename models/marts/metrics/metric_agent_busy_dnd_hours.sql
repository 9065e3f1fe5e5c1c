with

aggregated as (

    select * from {{ ref('fct_agent_presence_daily') }}

),

final as (

    select
        presence_date,
        agent_id,
        busy_dnd_seconds,
        busy_dnd_seconds / 3600.0 as busy_dnd_hours
    from aggregated

)

select * from final
