with

source as (

    select * from {{ ref('base_dataverse__sessions') }}
    where _load_state = 'current'

),

renamed as (

    select
        activityid as session_id,
        msdyn_sessionid as session_display_id,
        msdyn_liveworkitemid as conversation_id,
        msdyn_channel as channel_code,
        msdyn_channelinstanceid as channel_instance_id,
        msdyn_sessioncreatedon as created_at,
        msdyn_agentassignedon as assigned_at,
        msdyn_agentacceptedon as accepted_at,
        msdyn_sessionclosedon as closed_at,
        msdyn_state as state_code,
        msdyn_closurereason as closure_reason_code,
        statuscode as status_code,
        versionnumber as version_number,
        sinkmodifiedon as sink_modified_at,
        coalesce(msdyn_cdsqueueid, msdyn_queueid) as queue_id
    from source

)

select * from renamed
