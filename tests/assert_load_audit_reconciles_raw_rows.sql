-- Nothing lost: per table, the raw rows of the export (counted straight from the source) equal
-- current + superseded + deleted + quarantined in dataverse_load_audit, and the current rows
-- are exactly the staged rows.
with

raw_rows as (

    {{ dataverse_union_sources('count(*) as raw_rows') }}

),

staged_rows as (

    select
        'msdyn_ocsession' as table_name,
        count(*) as staged_rows
    from {{ ref('stg_dataverse__sessions') }}
    union all
    select
        'msdyn_sessionparticipant' as table_name,
        count(*) as staged_rows
    from {{ ref('stg_dataverse__session_participants') }}
    union all
    select
        'msdyn_ocliveworkitem' as table_name,
        count(*) as staged_rows
    from {{ ref('stg_dataverse__conversations') }}
    union all
    select
        'msdyn_ocsessionsentiment' as table_name,
        count(*) as staged_rows
    from {{ ref('stg_dataverse__session_sentiments') }}
    union all
    select
        'systemuser' as table_name,
        count(*) as staged_rows
    from {{ ref('stg_dataverse__system_users') }}
    union all
    select
        'queue' as table_name,
        count(*) as staged_rows
    from {{ ref('stg_dataverse__queues') }}
    union all
    select
        'msdyn_ocsessionparticipantevent' as table_name,
        count(*) as staged_rows
    from {{ ref('stg_dataverse__session_participant_events') }}
    union all
    select
        'msdyn_agentstatushistory' as table_name,
        count(*) as staged_rows
    from {{ ref('stg_dataverse__agent_status_history') }}
    union all
    select
        'msdyn_presence' as table_name,
        count(*) as staged_rows
    from {{ ref('stg_dataverse__presences') }}

),

audited as (

    select
        table_name,
        sum(raw_rows) as audited_rows,
        sum(case when load_state = 'current' then raw_rows else 0 end) as current_rows,
        sum(case when load_state not in ('current', 'superseded', 'deleted', 'quarantined') then raw_rows else 0 end)
            as rows_in_unknown_state
    from {{ ref('dataverse_load_audit') }}
    group by table_name

)

select
    raw_rows.table_name,
    raw_rows.raw_rows,
    audited.audited_rows,
    audited.current_rows,
    staged_rows.staged_rows
from raw_rows
left join audited
    on raw_rows.table_name = audited.table_name
left join staged_rows
    on raw_rows.table_name = staged_rows.table_name
where (audited.audited_rows is null and raw_rows.raw_rows <> 0)  -- an absent optional table has no raw row
    or raw_rows.raw_rows <> audited.audited_rows
    or audited.current_rows <> staged_rows.staged_rows
    or audited.rows_in_unknown_state <> 0
