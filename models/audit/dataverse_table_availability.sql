{#-
    Which Dataverse tables the export had: one row per table the project reads, whether it is
    required and whether it was found (decided when the model is built, as the base models
    decide it). An optional table that is absent is read as a zero-row table, so the marts that
    read it (dependent_marts) are empty: BI and the dashboard read this model to say "table
    missing" instead of showing zeros.
-#}
with

tables as (

    {{ dataverse_table_availability_rows() }}

),

final as (

    select
        table_name,
        is_required,
        is_present,
        dependent_marts
    from tables

)

select * from final
