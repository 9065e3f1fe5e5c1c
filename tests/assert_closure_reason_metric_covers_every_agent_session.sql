-- Integrity: per grain, the closure reason view counts exactly the agent sessions of the
-- total sessions view (every session has one closure reason row, NULL included).
-- One aggregate over both views (GROUP BY puts NULL grain values together on every engine),
-- not a full outer join on null-safe equalities, which no engine can hash.
with

totals as (

    select
        session_date,
        queue_id,
        channel_code,
        agent_id,
        total_sessions,
        cast(0 as bigint) as reason_sessions,
        1 as total_rows,
        0 as reason_rows
    from {{ ref('metric_total_sessions') }}

),

by_reason as (

    select
        session_date,
        queue_id,
        channel_code,
        agent_id,
        cast(0 as bigint) as total_sessions,
        sessions as reason_sessions,
        0 as total_rows,
        1 as reason_rows
    from {{ ref('metric_session_closure_reasons') }}

),

both_views as (

    select * from totals
    union all
    select * from by_reason

)

select
    session_date,
    queue_id,
    channel_code,
    agent_id,
    sum(total_sessions) as total_sessions,
    sum(reason_sessions) as sessions
from both_views
group by session_date, queue_id, channel_code, agent_id
having sum(total_rows) = 0
    or sum(reason_rows) = 0
    or sum(total_sessions) <> sum(reason_sessions)
