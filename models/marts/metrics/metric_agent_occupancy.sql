with

aggregated as (

    select * from {{ ref('fct_agent_presence_daily') }}

),

final as (

    select
        presence_date,
        agent_id,
        handle_time_seconds,
        occupiable_seconds,
        {{ safe_divide('handle_time_seconds', 'occupiable_seconds') }} as agent_occupancy
    from aggregated

)

select * from final
