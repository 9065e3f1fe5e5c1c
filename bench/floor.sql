-- The floor: session metrics by hand, in one DuckDB process, straight from the export.
--
-- What a person who knows DuckDB would write to get fct_sessions and the shared metric
-- aggregate (fct_session_metrics_daily's parts) from the Parquet export, following
-- docs/metrics.md and DECISIONLOG.md, with no framework: no audit trail of every raw
-- row, no quarantine table, no conversations mart, no tests. bench/run_bench.py substitutes
-- __EXPORT__ (the export root) and __SEEDS__ (the repo's seeds folder) and runs the whole
-- script on a fresh database file; the last statement's row is the metric totals it checks.
--
-- Current row per key: greatest versionnumber, then latest sinkmodifiedon (NULLs last in
-- both), then a tombstone; a key whose current row is a tombstone is gone. Keys are GUIDs
-- normalised (trimmed, lower case, no braces); a non-canonical key is unusable. The current
-- row is picked with QUALIFY row_number() (DuckDB's fastest way here: at 1M sessions it beat
-- arg_max over a struct key by 3x).

SET TimeZone = 'UTC';

CREATE TEMP MACRO norm_guid(x) AS
    nullif(lower(trim(replace(replace(CAST(x AS VARCHAR), '{', ''), '}', ''))), '');
CREATE TEMP MACRO is_guid(x) AS
    coalesce(regexp_full_match(x, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'), false);
CREATE TEMP MACRO secs(start_ts, end_ts) AS
    CASE WHEN epoch_us(end_ts) >= epoch_us(start_ts)
        THEN CAST(epoch_us(end_ts) - epoch_us(start_ts) AS DOUBLE) / 1000000.0 END;

-- Current, undeleted, in-scope sessions.
CREATE TEMP TABLE sessions AS
WITH raw AS (
    SELECT
        norm_guid(activityid) AS session_id,
        nullif(trim(msdyn_sessionid), '') AS session_display_id,
        norm_guid(msdyn_liveworkitemid) AS conversation_id,
        norm_guid(msdyn_queueid) AS queue_id,
        CAST(msdyn_channel AS INTEGER) AS channel_code,
        CAST(msdyn_sessioncreatedon AS TIMESTAMP) AS created_at,
        CAST(msdyn_agentassignedon AS TIMESTAMP) AS assigned_at,
        CAST(msdyn_agentacceptedon AS TIMESTAMP) AS accepted_at,
        CAST(msdyn_sessionclosedon AS TIMESTAMP) AS closed_at,
        CAST(msdyn_state AS INTEGER) AS state_code,
        CAST(msdyn_closurereason AS INTEGER) AS closure_reason_code,
        versionnumber, sinkmodifiedon, coalesce(isdelete, false) AS is_deleted
    FROM read_parquet('__EXPORT__/msdyn_ocsession/*.parquet', union_by_name = true)
),
cur AS (
    SELECT * EXCLUDE (versionnumber, sinkmodifiedon)
    FROM raw
    WHERE is_guid(session_id)
    QUALIFY row_number() OVER (
        PARTITION BY session_id
        ORDER BY versionnumber DESC NULLS LAST, sinkmodifiedon DESC NULLS LAST, is_deleted DESC
    ) = 1
)
SELECT * EXCLUDE (is_deleted)
FROM cur
WHERE NOT is_deleted AND (channel_code IS NULL OR channel_code <> 192350000);

-- Per session: the latest Primary participant and the sum of the Primaries' active time.
CREATE TEMP TABLE participants AS
WITH raw AS (
    SELECT
        norm_guid(msdyn_sessionparticipantid) AS participant_id,
        norm_guid(msdyn_omnichannelsession) AS session_id,
        norm_guid(msdyn_agentid) AS agent_id,
        CAST(msdyn_mode AS INTEGER) AS mode,
        CAST(msdyn_addedon AS TIMESTAMP) AS added_at,
        CAST(msdyn_joinedon AS TIMESTAMP) AS joined_at,
        CAST(msdyn_activetime AS BIGINT) AS active_time,
        nullif(trim(msdyn_externalparticipantchannel), '') AS external_channel,
        versionnumber, sinkmodifiedon, coalesce(isdelete, false) AS is_deleted
    FROM read_parquet('__EXPORT__/msdyn_sessionparticipant/*.parquet', union_by_name = true)
),
cur AS (
    SELECT * EXCLUDE (versionnumber, sinkmodifiedon)
    FROM raw
    WHERE is_guid(participant_id)
    QUALIFY row_number() OVER (
        PARTITION BY participant_id
        ORDER BY versionnumber DESC NULLS LAST, sinkmodifiedon DESC NULLS LAST, is_deleted DESC
    ) = 1
)
SELECT
    session_id,
    agent_id,
    external_channel IS NOT NULL AND joined_at IS NOT NULL AS is_external,
    CAST(sum(CASE WHEN active_time >= 0 THEN active_time ELSE 0 END) OVER (PARTITION BY session_id) AS DOUBLE)
        AS active_time
FROM cur
WHERE NOT is_deleted AND mode = 192350002
QUALIFY row_number() OVER (
    PARTITION BY session_id
    ORDER BY joined_at DESC NULLS LAST, added_at DESC NULLS LAST, participant_id DESC
) = 1;

-- Per session: pulse and zone of the latest sentiment row.
CREATE TEMP TABLE sentiments AS
WITH raw AS (
    SELECT
        norm_guid(msdyn_ocsessionsentimentid) AS sentiment_id,
        norm_guid(msdyn_omnichannelsession) AS session_id,
        CAST(msdyn_sentimentpulse AS DOUBLE) AS pulse,
        nullif(trim(msdyn_sentimentzone), '') AS zone,
        CAST(createdon AS TIMESTAMP) AS created_at,
        versionnumber, sinkmodifiedon, coalesce(isdelete, false) AS is_deleted
    FROM read_parquet('__EXPORT__/msdyn_ocsessionsentiment/*.parquet', union_by_name = true)
),
cur AS (
    SELECT * EXCLUDE (versionnumber, sinkmodifiedon)
    FROM raw
    WHERE is_guid(sentiment_id)
    QUALIFY row_number() OVER (
        PARTITION BY sentiment_id
        ORDER BY versionnumber DESC NULLS LAST, sinkmodifiedon DESC NULLS LAST, is_deleted DESC
    ) = 1
),
latest AS (
    SELECT session_id, pulse, zone
    FROM cur
    WHERE NOT is_deleted
    QUALIFY row_number() OVER (
        PARTITION BY session_id ORDER BY created_at DESC NULLS LAST, sentiment_id DESC
    ) = 1
)
SELECT * FROM latest;

CREATE TEMP TABLE users AS
WITH raw AS (
    SELECT
        norm_guid(systemuserid) AS user_id,
        nullif(trim(fullname), '') AS full_name,
        nullif(trim(msdyn_botapplicationid), '') IS NOT NULL AS is_bot,
        versionnumber, sinkmodifiedon, coalesce(isdelete, false) AS is_deleted
    FROM read_parquet('__EXPORT__/systemuser/*.parquet', union_by_name = true)
),
cur AS (
    SELECT * EXCLUDE (versionnumber, sinkmodifiedon)
    FROM raw
    WHERE is_guid(user_id)
    QUALIFY row_number() OVER (
        PARTITION BY user_id
        ORDER BY versionnumber DESC NULLS LAST, sinkmodifiedon DESC NULLS LAST, is_deleted DESC
    ) = 1
)
SELECT * EXCLUDE (is_deleted) FROM cur WHERE NOT is_deleted;

CREATE TEMP TABLE queues AS
WITH raw AS (
    SELECT
        norm_guid(queueid) AS queue_id,
        nullif(trim(name), '') AS queue_name,
        versionnumber, sinkmodifiedon, coalesce(isdelete, false) AS is_deleted
    FROM read_parquet('__EXPORT__/queue/*.parquet', union_by_name = true)
),
cur AS (
    SELECT * EXCLUDE (versionnumber, sinkmodifiedon)
    FROM raw
    WHERE is_guid(queue_id)
    QUALIFY row_number() OVER (
        PARTITION BY queue_id
        ORDER BY versionnumber DESC NULLS LAST, sinkmodifiedon DESC NULLS LAST, is_deleted DESC
    ) = 1
)
SELECT * EXCLUDE (is_deleted) FROM cur WHERE NOT is_deleted;

CREATE TEMP TABLE channels AS
SELECT CAST(code AS INTEGER) AS code, label FROM read_csv('__SEEDS__/dataverse_channels.csv', header = true);

CREATE TEMP TABLE closure_reasons AS
SELECT CAST(code AS INTEGER) AS code, label, is_transfer, is_reject, is_timeout
FROM read_csv('__SEEDS__/dataverse_closure_reasons.csv', header = true);

-- The session fact.
CREATE TABLE fct_sessions AS
WITH joined AS (
    SELECT
        s.session_id,
        s.session_display_id,
        s.conversation_id,
        s.queue_id,
        q.queue_name,
        s.channel_code,
        ch.label AS channel_name,
        p.agent_id,
        u.full_name AS agent_name,
        coalesce(u.is_bot, false) AS is_bot_session,
        s.created_at,
        s.assigned_at,
        s.accepted_at,
        s.closed_at,
        CAST(s.created_at AS DATE) AS session_date,
        s.state_code,
        s.closed_at IS NOT NULL OR coalesce(s.state_code = 192350002, false) AS is_closed,
        s.assigned_at IS NOT NULL AS is_assigned,
        s.accepted_at IS NOT NULL AS is_engaged,
        s.closure_reason_code,
        CASE WHEN s.closure_reason_code IS NOT NULL THEN coalesce(cr.label, 'Unknown') END
            AS closure_reason_label,
        coalesce(cr.is_transfer, false) AS is_transferred_out,
        coalesce(cr.is_reject, false) AS is_rejected,
        coalesce(cr.is_timeout, false) AS is_timed_out,
        p.active_time,
        coalesce(p.is_external, false) AS is_handled_by_external_participant,
        se.pulse AS customer_sentiment_pulse,
        se.zone AS customer_sentiment_zone
    FROM sessions AS s
    LEFT JOIN participants AS p ON s.session_id = p.session_id
    LEFT JOIN users AS u ON p.agent_id = u.user_id
    LEFT JOIN queues AS q ON s.queue_id = q.queue_id
    LEFT JOIN channels AS ch ON s.channel_code = ch.code
    LEFT JOIN closure_reasons AS cr ON s.closure_reason_code = cr.code
    LEFT JOIN sentiments AS se ON s.session_id = se.session_id
)
SELECT
    * EXCLUDE (active_time),
    NOT is_closed AS is_active,
    CASE WHEN is_closed THEN secs(created_at, coalesce(accepted_at, closed_at)) END AS wait_time_seconds,
    secs(assigned_at, accepted_at) AS time_to_accept_seconds,
    CASE WHEN is_rejected THEN secs(assigned_at, closed_at) END AS time_to_reject_seconds,
    CASE WHEN is_engaged THEN coalesce(active_time, 0) END AS handle_time_seconds
FROM joined;

-- The shared metric aggregate: agent sessions at (session_date, queue_id, channel_code, agent_id).
CREATE TABLE sessions_aggregated_to_grain AS
SELECT
    session_date,
    queue_id,
    channel_code,
    agent_id,
    count(*) AS total_sessions,
    count_if(is_active) AS active_sessions,
    count_if(is_closed) AS closed_sessions,
    count_if(is_engaged) AS engaged_sessions,
    count_if(is_assigned) AS assigned_sessions,
    count_if(is_transferred_out) AS transferred_sessions,
    count_if(is_rejected) AS rejected_sessions,
    count_if(is_timed_out) AS timeout_sessions,
    coalesce(sum(time_to_reject_seconds), 0) AS time_to_reject_seconds_sum,
    count(time_to_reject_seconds) AS time_to_reject_count,
    coalesce(sum(time_to_accept_seconds), 0) AS time_to_accept_seconds_sum,
    count(time_to_accept_seconds) AS time_to_accept_count,
    coalesce(sum(wait_time_seconds), 0) AS wait_time_seconds_sum,
    count(wait_time_seconds) AS wait_time_count,
    coalesce(sum(handle_time_seconds) FILTER (WHERE is_closed), 0) AS handle_time_seconds_sum,
    count(handle_time_seconds) FILTER (WHERE is_closed) AS handle_time_count,
    coalesce(sum(customer_sentiment_pulse), 0) AS sentiment_pulse_sum,
    count(customer_sentiment_pulse) AS sentiment_count,
    count_if(lower(customer_sentiment_zone) = 'very negative') AS sentiment_zone_very_negative_sessions,
    count_if(lower(customer_sentiment_zone) = 'negative') AS sentiment_zone_negative_sessions,
    count_if(lower(customer_sentiment_zone) = 'slightly negative') AS sentiment_zone_slightly_negative_sessions,
    count_if(lower(customer_sentiment_zone) = 'neutral') AS sentiment_zone_neutral_sessions,
    count_if(lower(customer_sentiment_zone) = 'slightly positive') AS sentiment_zone_slightly_positive_sessions,
    count_if(lower(customer_sentiment_zone) = 'positive') AS sentiment_zone_positive_sessions,
    count_if(lower(customer_sentiment_zone) = 'very positive') AS sentiment_zone_very_positive_sessions,
    count_if(lower(customer_sentiment_zone) NOT IN (
        'very negative', 'negative', 'slightly negative', 'neutral',
        'slightly positive', 'positive', 'very positive'
    )) AS sentiment_zone_other_sessions,
    count_if(is_handled_by_external_participant) AS external_handled_sessions
FROM fct_sessions
WHERE NOT is_bot_session
GROUP BY ALL;

-- Metric totals (read by bench/run_bench.py to check the three implementations agree).
SELECT
    sum(total_sessions) AS total_sessions,
    sum(active_sessions) AS active_sessions,
    sum(closed_sessions) AS closed_sessions,
    sum(engaged_sessions) AS engaged_sessions,
    sum(assigned_sessions) AS assigned_sessions,
    sum(transferred_sessions) AS transferred_sessions,
    sum(rejected_sessions) AS rejected_sessions,
    sum(timeout_sessions) AS timeout_sessions,
    sum(time_to_reject_seconds_sum) AS time_to_reject_seconds_sum,
    sum(time_to_reject_count) AS time_to_reject_count,
    sum(time_to_accept_seconds_sum) AS time_to_accept_seconds_sum,
    sum(time_to_accept_count) AS time_to_accept_count,
    sum(wait_time_seconds_sum) AS wait_time_seconds_sum,
    sum(wait_time_count) AS wait_time_count,
    sum(handle_time_seconds_sum) AS handle_time_seconds_sum,
    sum(handle_time_count) AS handle_time_count,
    sum(sentiment_pulse_sum) AS sentiment_pulse_sum,
    sum(sentiment_count) AS sentiment_count,
    sum(external_handled_sessions) AS external_handled_sessions
FROM sessions_aggregated_to_grain;
