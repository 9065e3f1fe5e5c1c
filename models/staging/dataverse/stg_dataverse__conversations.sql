with

source as (

    select * from {{ ref('base_dataverse__conversations') }}
    where _load_state = 'current'

),

renamed as (

    select
        activityid as conversation_id,
        statuscode as status_code,
        msdyn_createdon as created_at,
        msdyn_closedon as closed_at,
        versionnumber as version_number,
        sinkmodifiedon as sink_modified_at,
        coalesce(msdyn_isoutbound, false) as is_outbound
    from source

)

select * from renamed
