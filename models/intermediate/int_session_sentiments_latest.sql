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

sentiments as (

    select * from {{ ref('stg_dataverse__session_sentiments') }}
    {%- if is_incremental() %}
    where session_id in (select changed_sessions.session_id from changed_sessions)
    {%- endif %}

),

ranked as (

    select
        session_id,
        session_sentiment_id,
        sentiment_pulse,
        sentiment_zone,
        created_at,
        row_number() over (
            partition by session_id
            order by
                created_at desc nulls last,
                session_sentiment_id desc
        ) as recency_rank
    from sentiments

),

latest as (

    select
        ranked.session_id,
        ranked.session_sentiment_id as latest_session_sentiment_id,
        ranked.sentiment_pulse as customer_sentiment_pulse,
        ranked.sentiment_zone as customer_sentiment_zone,
        ranked.created_at as sentiment_created_at,
        session_changes.source_modified_at
    from ranked
    left join session_changes
        on ranked.session_id = session_changes.session_id
    where ranked.recency_rank = 1

)

select * from latest
