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
        msdyn_firstwaitstartedon as first_wait_started_at,
        msdyn_activeagentassignedon as active_agent_assigned_at,
        msdyn_wrapupinitiatedon as wrap_up_initiated_at,
        msdyn_transfercount as transfer_count,
        msdyn_isabandoned as reported_is_abandoned,
        msdyn_isagentaccepted as reported_is_agent_accepted,
        msdyn_cdsqueueid as queue_id,
        msdyn_activeagentid as active_agent_id,
        msdyn_conversationfirstwaittimeinseconds as reported_first_wait_seconds,
        msdyn_conversationhandletimeinseconds as reported_handle_time_seconds,
        msdyn_conversationholdtimeinseconds as reported_hold_time_seconds,
        msdyn_conversationtalktimeinseconds as reported_talk_time_seconds,
        msdyn_conversationwrapuptimeinseconds as reported_wrap_up_time_seconds,
        coalesce(msdyn_isoutbound, false) as is_outbound
    from source

)

select * from renamed
