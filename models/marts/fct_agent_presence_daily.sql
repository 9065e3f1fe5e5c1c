{#-
    The additive parts of the agent availability metrics per reporting day and agent: seconds in
    each base presence status (from fct_agent_presence_intervals) and the handle time of the
    agent's closed sessions of that day (from fct_sessions), the numerator of agent occupancy.
    Agent-days with presence intervals only: without the status history there is no row, not
    zeros (docs/metrics.md#agent-availability).
-#}
with

intervals as (

    select * from {{ ref('fct_agent_presence_intervals') }}

),

agent_sessions as (

    select * from {{ ref('fct_sessions') }}
    where not is_bot_session
        and agent_id is not null

),

presence_by_day as (

    select
        presence_date,
        agent_id,
        count(*) as presence_intervals,
        {{ sum_seconds('case when is_logged_in then duration_seconds end') }} as logged_in_seconds,
        {{ seconds_in_presence_status('available') }} as available_seconds,
        {{ seconds_in_presence_status('busy') }} as busy_seconds,
        {{ seconds_in_presence_status('busy_dnd') }} as busy_dnd_seconds,
        {{ seconds_in_presence_status('away') }} as away_seconds,
        {{ seconds_in_presence_status('offline') }} as offline_seconds,
        {{ sum_seconds('case when base_presence_status_code is null then duration_seconds end') }}
            as unknown_status_seconds
    from intervals
    group by presence_date, agent_id

),

handle_time_by_day as (

    select
        session_date,
        agent_id,
        {{ sum_seconds('case when is_closed then handle_time_seconds end') }} as handle_time_seconds,
        count(case when is_closed then handle_time_seconds end) as handled_sessions
    from agent_sessions
    group by session_date, agent_id

),

final as (

    select
        {{ surrogate_key(['presence_by_day.presence_date', 'presence_by_day.agent_id']) }} as agent_presence_day_key,
        presence_by_day.presence_date,
        presence_by_day.agent_id,
        presence_by_day.presence_intervals,
        presence_by_day.logged_in_seconds,
        presence_by_day.available_seconds,
        presence_by_day.busy_seconds,
        presence_by_day.busy_dnd_seconds,
        presence_by_day.away_seconds,
        presence_by_day.offline_seconds,
        presence_by_day.unknown_status_seconds,
        presence_by_day.available_seconds + presence_by_day.busy_seconds + presence_by_day.busy_dnd_seconds
            as occupiable_seconds,
        coalesce(handle_time_by_day.handle_time_seconds, 0) as handle_time_seconds,
        coalesce(handle_time_by_day.handled_sessions, 0) as handled_sessions
    from presence_by_day
    left join handle_time_by_day
        on presence_by_day.presence_date = handle_time_by_day.session_date
            and presence_by_day.agent_id = handle_time_by_day.agent_id

)

select * from final
