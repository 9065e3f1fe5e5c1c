with

source as (

    {{ dataverse_row_states('queue', state='current') }}

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
