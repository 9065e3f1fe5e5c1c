{{
    config(
        materialized=incremental_where_supported(),
        unique_key='session_date_key',
        post_hook="{{ delete_dates_without_sessions() }}",
    )
}}

{#-
    Agent sessions per closure reason at the reporting grain.
    Incremental (DuckDB): a run recomputes whole session dates, as fct_session_metrics_daily does
    (session_dates_to_refresh); the post-hook drops dates left without agent sessions.
-#}

with

high_water_mark as (

    {{ incremental_high_water_mark('source_modified_at') }}

),

-- Read by incremental runs only.
changed_dates as (  -- noqa: ST03

    {{ session_dates_to_refresh('(select high_water_mark.modified_at from high_water_mark)', 'sessions') }}

),

agent_sessions as (

    select * from {{ ref('fct_sessions') }}
    where not is_bot_session {{ and_if_incremental(
        session_date_key('session_date') ~ ' in (select changed_dates.session_date_key from changed_dates)'
    ) }}

),

aggregated as (

    select
        session_date,
        queue_id,
        channel_code,
        agent_id,
        closure_reason_code,
        closure_reason_label,
        count(*) as sessions,
        max(source_modified_at) as source_modified_at
    from agent_sessions
    group by session_date, queue_id, channel_code, agent_id, closure_reason_code, closure_reason_label

),

keyed as (

    select
        {{ surrogate_key(['session_date', 'queue_id', 'channel_code', 'agent_id', 'closure_reason_code']) }}
            as session_closure_reason_key,
        {{ session_date_key('session_date') }} as session_date_key,
        *
    from aggregated

)

select * from keyed
