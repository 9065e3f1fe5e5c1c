{#- One row per calendar day, 2000-01-01 to 2049-12-31: the semantic layer's time spine. Fixed bounds, no clock. -#}
with

days as (

    {{ dbt.date_spine('day', "cast('2000-01-01' as date)", "cast('2050-01-01' as date)") }}

),

final as (

    select cast(date_day as date) as date_day
    from days

)

select * from final
