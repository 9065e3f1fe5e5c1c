{#-
    The additive parts of the consult and monitor metrics at the grain (session_date, queue_id,
    channel_code, agent_id), agent_id being the consulted or monitoring agent (not the
    session's agent). Each definition is written here once; the metric views only select and
    divide (docs/metrics.md#consult-and-monitor-metrics).
-#}
with

consults as (

    select * from {{ ref('fct_consults') }}

),

aggregated as (

    select
        session_date,
        queue_id,
        channel_code,
        agent_id,
        {{ count_where('is_consult') }} as consult_requests,
        {{ count_where('is_consult and is_joined') }} as accepted_consults,
        {{ count_where('is_consult and not is_joined') }} as not_accepted_consults,
        {{ count_where('is_consult and not is_joined and is_rejected') }} as rejected_consults,
        {{ count_where('is_consult and not is_joined and is_timed_out') }} as timed_out_consults,
        {{ sum_seconds('consult_time_seconds') }} as consult_time_seconds_sum,
        count(consult_time_seconds) as consult_time_count,
        {{ count_where('is_monitor') }} as monitor_sessions,
        {{ sum_seconds('monitor_time_seconds') }} as monitor_time_seconds_sum,
        count(monitor_time_seconds) as monitor_time_count
    from consults
    group by session_date, queue_id, channel_code, agent_id

),

final as (

    select
        {{ surrogate_key(['session_date', 'queue_id', 'channel_code', 'agent_id']) }} as consult_grain_key,
        session_date,
        queue_id,
        channel_code,
        agent_id,
        consult_requests,
        accepted_consults,
        not_accepted_consults,
        rejected_consults,
        timed_out_consults,
        consult_time_seconds_sum,
        consult_time_count,
        monitor_sessions,
        monitor_time_seconds_sum,
        monitor_time_count
    from aggregated

)

select * from final
