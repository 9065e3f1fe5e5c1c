with

aggregated as (

    select * from {{ ref('fct_agent_presence_daily') }}

),

final as (

    select
        presence_date,
        agent_id,
        away_seconds,
        away_seconds / 3600.0 as away_hours
    from aggregated

)

select * from final
