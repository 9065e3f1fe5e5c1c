with

source as (

    select * from {{ ref('base_dataverse__system_users') }}
    where _load_state = 'current'

),

renamed as (

    select
        systemuserid as system_user_id,
        fullname as full_name,
        msdyn_botapplicationid as bot_application_id,
        versionnumber as version_number,
        sinkmodifiedon as sink_modified_at,
        msdyn_botapplicationid is not null as is_bot
    from source

)

select * from renamed
