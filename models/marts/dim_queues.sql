with

queues as (

    select * from {{ ref('stg_dataverse__queues') }}

),

final as (

    select
        queue_id,
        queue_name
    from queues

)

select * from final
