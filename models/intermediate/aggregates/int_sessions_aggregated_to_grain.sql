{#-
    The additive parts of every session metric at the reporting grain
    (session_date, queue_id, channel_code, agent_id), agent sessions only.
    Each definition is written here once; the metric views only select and divide.
-#}
with

agent_sessions as (

    select * from {{ ref('fct_sessions') }}
    where not is_bot_session

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
        {{ sum_double('time_to_reject_seconds') }} as time_to_reject_seconds_sum,
        count(time_to_reject_seconds) as time_to_reject_count,
        {{ sum_double('time_to_accept_seconds') }} as time_to_accept_seconds_sum,
        count(time_to_accept_seconds) as time_to_accept_count,
        {{ sum_double('wait_time_seconds') }} as wait_time_seconds_sum,
        count(wait_time_seconds) as wait_time_count,
        {{ sum_double('case when is_closed then handle_time_seconds end') }} as handle_time_seconds_sum,
        count(case when is_closed then handle_time_seconds end) as handle_time_count,
        {{ sum_double('customer_sentiment_pulse') }} as sentiment_pulse_sum,
        count(customer_sentiment_pulse) as sentiment_count,
        {{ sentiment_zone_counts('customer_sentiment_zone') }},
        {{ count_where('is_handled_by_external_participant') }} as external_handled_sessions
    from agent_sessions
    group by session_date, queue_id, channel_code, agent_id

),

keyed as (

    select
        {{ surrogate_key(['session_date', 'queue_id', 'channel_code', 'agent_id']) }} as session_grain_key,
        *
    from aggregated

)

select * from keyed
