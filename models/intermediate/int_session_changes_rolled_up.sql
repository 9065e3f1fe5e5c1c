{{ config(materialized=incremental_where_supported(), unique_key='session_id') }}

{#-
    When each session last changed in the lake: the latest sinkmodifiedon among the rows of the
    session key and of every participant, sentiment and participant-event key that references it
    (every version, tombstones included); NULL when one of those rows has no sinkmodifiedon (such a session is
    recomputed by every incremental run). Deterministic from the export, so a full refresh and
    an incremental run agree. fct_sessions carries it as source_modified_at.
    Incremental: a run recomputes the sessions with a related row written after the latest
    source_modified_at already here (or without sinkmodifiedon), over all their rows.
-#}
with

high_water_mark as (

    {{ incremental_high_water_mark('source_modified_at') }}

),

row_changes as (

    select * from {{ ref('stg_dataverse__row_changes') }}

),

related_rows as (

    select
        session_id,
        key_modified_at
    from row_changes
    where session_id is not null

),

-- Read by incremental runs only.
changed_sessions as (  -- noqa: ST03

    select distinct session_id
    from related_rows
    where key_modified_at > (select high_water_mark.modified_at from high_water_mark)
        or key_modified_at is null

),

session_rows as (

    select
        session_id,
        key_modified_at
    from related_rows
    {%- if is_incremental() %}
    where session_id in (select changed_sessions.session_id from changed_sessions)
    {%- endif %}

),

rolled_up as (

    select
        session_id,
        case when count(key_modified_at) = count(*) then max(key_modified_at) end as source_modified_at
    from session_rows
    group by session_id

)

select * from rolled_up
