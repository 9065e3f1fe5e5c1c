with

channels as (

    select * from {{ ref('dataverse_channels') }}

),

final as (

    select
        cast(code as {{ dbt.type_int() }}) as channel_code,
        label as channel_name,
        code = {{ entity_records_channel_code() }} as is_entity_records
    from channels

)

select * from final
