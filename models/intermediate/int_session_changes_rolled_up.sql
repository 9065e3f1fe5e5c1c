{#-
    When each session last changed in the lake: the latest sinkmodifiedon among the rows of the
    session key and of every participant and sentiment key that references it (every version,
    tombstones included); NULL when one of those rows has no sinkmodifiedon (such a session is
    recomputed by every incremental run). Deterministic from the export, so a full refresh and
    an incremental run agree. fct_sessions carries it as source_modified_at.
-#}
with

row_states as (

    select * from {{ ref('stg_dataverse__row_states') }}

),

session_rows as (

    select
        session_id,
        key_modified_at
    from row_states
    where table_name in ('msdyn_ocsession', 'msdyn_sessionparticipant', 'msdyn_ocsessionsentiment')
        and session_id is not null

),

rolled_up as (

    select
        session_id,
        case when count(key_modified_at) = count(*) then max(key_modified_at) end as source_modified_at
    from session_rows
    group by session_id

)

select * from rolled_up
