{{
    config(
        materialized=incremental_where_supported(),
        unique_key='session_date_key',
        post_hook="{{ delete_dates_without_sessions() }}",
    )
}}

{#-
    The additive parts of every session metric at the reporting grain
    (session_date, queue_id, channel_code, agent_id), agent sessions only.
    Each definition is written here once; the metric views only select and divide.

    Incremental (DuckDB): a run recomputes whole session dates: those holding a session that
    changed after the latest source_modified_at already here, and those whose agent-session
    count no longer matches fct_sessions (a session deleted or moved to another date).
-#}

with

high_water_mark as (

    {{ incremental_high_water_mark('source_modified_at') }}

),

-- Read by incremental runs only.
changed_dates as (  -- noqa: ST03

    {{ session_dates_to_refresh('(select high_water_mark.modified_at from high_water_mark)') }}

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
        count(*) as total_sessions,
        {{ count_where('is_active') }} as active_sessions,
        {{ count_where('is_closed') }} as closed_sessions,
        {{ count_where('is_engaged') }} as engaged_sessions,
        {{ count_where('is_assigned') }} as assigned_sessions,
        {{ count_where('is_transferred_out') }} as transferred_sessions,
        {{ count_where('is_rejected') }} as rejected_sessions,
        {{ count_where('is_timed_out') }} as timeout_sessions,
        {{ sum_seconds('time_to_reject_seconds') }} as time_to_reject_seconds_sum,
        count(time_to_reject_seconds) as time_to_reject_count,
        {{ sum_seconds('time_to_accept_seconds') }} as time_to_accept_seconds_sum,
        count(time_to_accept_seconds) as time_to_accept_count,
        {{ sum_seconds('wait_time_seconds') }} as wait_time_seconds_sum,
        count(wait_time_seconds) as wait_time_count,
        {{ sum_seconds('case when is_closed then handle_time_seconds end') }} as handle_time_seconds_sum,
        count(case when is_closed then handle_time_seconds end) as handle_time_count,
        {{ sum_double('customer_sentiment_pulse') }} as sentiment_pulse_sum,
        count(customer_sentiment_pulse) as sentiment_count,
        {{ sentiment_zone_counts('customer_sentiment_zone') }},
        {{ count_where('is_handled_by_external_participant') }} as external_handled_sessions,
        max(source_modified_at) as source_modified_at
    from agent_sessions
    group by session_date, queue_id, channel_code, agent_id

),

keyed as (

    select
        {{ surrogate_key(['session_date', 'queue_id', 'channel_code', 'agent_id']) }} as session_grain_key,
        {{ session_date_key('session_date') }} as session_date_key,
        *
    from aggregated

)

select * from keyed
