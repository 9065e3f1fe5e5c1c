-- Integrity: per grain, the closure reason view counts exactly the agent sessions of the
-- total sessions view (every session has one closure reason row, NULL included).
with

totals as (

    select * from {{ ref('metric_total_sessions') }}

),

by_reason as (

    select
        session_date,
        queue_id,
        channel_code,
        agent_id,
        sum(sessions) as sessions
    from {{ ref('metric_session_closure_reasons') }}
    group by session_date, queue_id, channel_code, agent_id

)

select
    totals.session_date,
    totals.queue_id,
    totals.channel_code,
    totals.agent_id,
    totals.total_sessions,
    by_reason.sessions
from totals
full outer join by_reason
    on {{ null_safe_equals('totals.session_date', 'by_reason.session_date') }}
        and {{ null_safe_equals('totals.queue_id', 'by_reason.queue_id') }}
        and {{ null_safe_equals('totals.channel_code', 'by_reason.channel_code') }}
        and {{ null_safe_equals('totals.agent_id', 'by_reason.agent_id') }}
where totals.total_sessions is null
    or by_reason.sessions is null
    or totals.total_sessions <> by_reason.sessions
