with

source as (

    select * from {{ ref('base_dataverse__queues') }}
    where _load_state = 'current'

),

renamed as (

    select
        queueid as queue_id,
        name as queue_name,
        versionnumber as version_number,
        sinkmodifiedon as sink_modified_at
    from source

)

select * from renamed
