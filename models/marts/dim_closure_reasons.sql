with

closure_reasons as (

    select * from {{ ref('dataverse_closure_reasons') }}

),

final as (

    select
        cast(code as {{ dbt.type_int() }}) as closure_reason_code,
        label as closure_reason_label,
        is_transfer,
        is_reject,
        is_timeout
    from closure_reasons

)

select * from final
