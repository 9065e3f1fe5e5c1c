{#-
    One row per agent status-history interval and reporting day: each interval of an agent's
    presence, split at midnight of the reporting time zone (var reporting_timezone; a DST day
    lasts 23 or 25 hours). Rules (docs/metrics.md#agent-availability):
    - an open interval (no msdyn_endtime) ends at the table's high-water mark: the latest start
      or end time of its current rows (the last change the export records), never the clock;
    - intervals of one agent that overlap are trimmed: an interval ends, at the latest, when the
      agent's next interval (by start, then id) starts, so no second is counted twice;
    - an interval that ends before it starts lasts 0 seconds (listed in the data faults).
    Empty when the export lacks msdyn_agentstatushistory (docs/metrics.md#optional-tables).
-#}
with

status_history as (

    select * from {{ ref('stg_dataverse__agent_status_history') }}
    where agent_id is not null
        and started_at is not null

),

presences as (

    select * from {{ ref('stg_dataverse__presences') }}

),

presence_statuses as (

    select * from {{ ref('dataverse_presence_statuses') }}

),

days as (

    select * from {{ ref('dim_dates') }}

),

high_water_mark as (

    select case when max(ended_at) > max(started_at) then max(ended_at) else max(started_at) end as closed_at
    from status_history

),

ordered as (

    select
        status_history.*,
        lead(status_history.started_at) over (
            partition by status_history.agent_id
            order by status_history.started_at, status_history.agent_status_history_id
        ) as next_started_at,
        coalesce(status_history.ended_at, high_water_mark.closed_at) as closed_at
    from status_history
    cross join high_water_mark

),

bounded as (

    select
        agent_status_history_id,
        agent_id,
        presence_id,
        started_at,
        ended_at,
        ended_at is null as is_open,
        coalesce(next_started_at < closed_at, false) as is_trimmed,
        case
            when next_started_at < closed_at then next_started_at
            when closed_at > started_at then closed_at
            else started_at
        end as effective_ended_at
    from ordered

),

bounded_with_dates as (

    select
        *,
        {{ to_reporting_date('started_at') }} as first_date,
        {{ to_reporting_date('effective_ended_at') }} as last_date
    from bounded

),

date_range as (

    select
        min(first_date) as first_date,
        max(last_date) as last_date
    from bounded_with_dates

),

days_in_range as (

    -- The reporting days the intervals touch, each with its bounds in UTC.
    select
        days.date_day,
        {{ reporting_day_start_utc('days.date_day') }} as day_started_at,
        {{ reporting_day_start_utc(dbt.dateadd('day', 1, 'days.date_day')) }} as next_day_started_at
    from days
    inner join date_range
        on days.date_day between date_range.first_date and date_range.last_date

),

split as (

    select
        bounded_with_dates.*,
        days_in_range.date_day as presence_date,
        days_in_range.day_started_at,
        days_in_range.next_day_started_at
    from bounded_with_dates
    inner join days_in_range
        on days_in_range.date_day between bounded_with_dates.first_date and bounded_with_dates.last_date

),

pieces as (

    select
        *,
        case when started_at > day_started_at then started_at else day_started_at end as piece_started_at,
        case
            when effective_ended_at < next_day_started_at then effective_ended_at else next_day_started_at
        end as piece_ended_at
    from split

),

final as (

    select
        {{ surrogate_key(['pieces.agent_status_history_id', 'pieces.presence_date']) }} as agent_presence_interval_key,
        pieces.agent_status_history_id,
        pieces.agent_id,
        pieces.presence_date,
        pieces.presence_id,
        presences.presence_name,
        presences.base_presence_status_code,
        presence_statuses.label as base_presence_status,
        coalesce(presence_statuses.is_logged_in, false) as is_logged_in,
        pieces.piece_started_at as started_at,
        pieces.piece_ended_at as ended_at,
        pieces.started_at as interval_started_at,
        pieces.ended_at as interval_ended_at,
        pieces.is_open,
        pieces.is_trimmed,
        coalesce({{ duration_seconds('pieces.piece_started_at', 'pieces.piece_ended_at') }}, 0) as duration_seconds
    from pieces
    left join presences
        on pieces.presence_id = presences.presence_id
    left join presence_statuses
        on presences.base_presence_status_code = presence_statuses.code
    where pieces.piece_ended_at > pieces.piece_started_at
        or (pieces.effective_ended_at = pieces.started_at and pieces.presence_date = pieces.first_date)

)

select * from final
