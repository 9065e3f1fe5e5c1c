{{
    config(
        materialized=incremental_where_supported(),
        unique_key='session_id',
        pre_hook="{{ delete_changed_sessions() }}",
    )
}}

{#-
    Incremental: a run recomputes the sessions that changed since the latest source_modified_at
    already here (sessions_changed_since_last_run); the pre-hook first drops their old rows.
-#}

with

session_changes as (

    select * from {{ ref('int_session_changes_rolled_up') }}

),

-- Read by incremental runs only.
changed_sessions as (  -- noqa: ST03

    {{ sessions_changed_since_last_run() }}

),

participants as (

    select * from {{ ref('stg_dataverse__session_participants') }}
    {%- if is_incremental() %}
    where session_id in (select changed_sessions.session_id from changed_sessions)
    {%- endif %}

),

primary_participants as (

    select
        session_id,
        session_participant_id,
        agent_id,
        joined_at,
        added_at,
        active_time_seconds,
        external_participant_channel,
        row_number() over (
            partition by session_id
            order by
                joined_at desc nulls last,
                added_at desc nulls last,
                session_participant_id desc
        ) as recency_rank
    from participants
    where participant_mode_code = {{ primary_participant_mode_code() }}

),

handle_time as (

    select
        session_id,
        cast(sum(coalesce(active_time_seconds, 0)) as double) as primary_active_time_seconds,
        count(*) as primary_participant_count
    from primary_participants
    group by session_id

),

latest_primary as (

    select
        session_id,
        session_participant_id as primary_participant_id,
        agent_id as primary_agent_id,
        (external_participant_channel is not null and joined_at is not null)
            as is_primary_external_and_joined
    from primary_participants
    where recency_rank = 1

),

rolled_up as (

    select
        latest_primary.session_id,
        latest_primary.primary_participant_id,
        latest_primary.primary_agent_id,
        latest_primary.is_primary_external_and_joined,
        handle_time.primary_participant_count,
        handle_time.primary_active_time_seconds,
        session_changes.source_modified_at
    from latest_primary
    inner join handle_time
        on latest_primary.session_id = handle_time.session_id
    left join session_changes
        on latest_primary.session_id = session_changes.session_id

)

select * from rolled_up
