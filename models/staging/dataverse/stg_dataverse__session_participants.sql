with

source as (

    {{ dataverse_row_states('msdyn_sessionparticipant', state='current') }}

),

renamed as (

    select
        msdyn_sessionparticipantid as session_participant_id,
        msdyn_omnichannelsession as session_id,
        msdyn_agentid as agent_id,
        msdyn_mode as participant_mode_code,
        msdyn_addedon as added_at,
        msdyn_joinedon as joined_at,
        msdyn_lefton as left_at,
        msdyn_leftonreason as left_reason,
        msdyn_externalparticipantchannel as external_participant_channel,
        msdyn_externalparticipantchanneltype as external_participant_channel_type_code,
        versionnumber as version_number,
        sinkmodifiedon as sink_modified_at,
        case when msdyn_activetime >= 0 then msdyn_activetime end as active_time_seconds
    from source

)

select * from renamed
