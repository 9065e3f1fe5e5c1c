{#-
    Current agent status-history intervals: one row per interval of an agent's presence, from
    started_at to ended_at (NULL while it is the agent's current status). Optional table: empty
    when the export lacks it (docs/metrics.md#optional-tables).
-#}
with

source as (

    select * from {{ ref('base_dataverse__agent_status_history') }}
    where _load_state = 'current'

),

renamed as (

    select
        msdyn_agentstatushistoryid as agent_status_history_id,
        msdyn_agentid as agent_id,
        msdyn_presenceid as presence_id,
        msdyn_starttime as started_at,
        msdyn_endtime as ended_at,
        msdyn_availablecapacity as available_capacity,
        msdyn_isagentloggedin as is_agent_logged_in,
        versionnumber as version_number,
        sinkmodifiedon as sink_modified_at
    from source

)

select * from renamed
