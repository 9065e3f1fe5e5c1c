with

aggregated as (

    select * from {{ ref('fct_agent_presence_daily') }}

),

final as (

    select
        presence_date,
        agent_id,
        offline_seconds,
        offline_seconds / 3600.0 as offline_hours
    from aggregated

)

select * from final
