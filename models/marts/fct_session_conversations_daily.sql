{{
    config(
        materialized=incremental_where_supported(),
        unique_key='session_date_key',
        post_hook="{{ delete_dates_without_sessions(conversation_agent_sessions()) }}",
    )
}}

{#-
    One row per conversation per grain cell (session_date, queue_id, channel_code, agent_id) that
    holds at least one of its agent sessions, with the conversation's outbound flag: the bridge for
    Microsoft's historical "incoming conversations", the denominator of its historical rates
    (docs/microsoft-reconciliation.md). A conversation with sessions in two queues appears in both
    cells: count distinct conversation_id at the grain you report, never sum a per-cell count.
    Incremental (DuckDB): a run recomputes whole session dates, as fct_session_metrics_daily does,
    counting only agent sessions with a conversation, plus the dates of the sessions of every
    conversation that changed in fct_conversations; the post-hook drops dates left without them.
-#}

with

high_water_mark as (

    {{ incremental_high_water_mark('source_modified_at') }}

),

conversations as (

    select * from {{ ref('fct_conversations') }}

),

-- Read by incremental runs only.
changed_dates as (  -- noqa: ST03

    {{ session_dates_to_refresh(
        '(select high_water_mark.modified_at from high_water_mark)', 'agent_sessions', conversation_agent_sessions()
    ) }}
    {%- if is_incremental() %}
    union
    -- The dates of every agent session of a conversation that changed (or whose time is unknown).
    select {{ session_date_key('changed_sessions.session_date') }}
    from {{ ref('fct_sessions') }} as changed_sessions
    inner join conversations as changed_conversations
        on changed_sessions.conversation_id = changed_conversations.conversation_id
    where changed_conversations.source_modified_at > (select high_water_mark.modified_at from high_water_mark)
        or changed_conversations.source_modified_at is null
    union
    -- The dates of the rows whose conversation's time moved (also back: a conversation that lost its latest session).
    select previous.session_date_key
    from {{ this }} as previous
    left join conversations as current_conversations
        on previous.conversation_id = current_conversations.conversation_id
    where not {{ null_safe_equals('previous.source_modified_at', 'current_conversations.source_modified_at') }}
    {%- endif %}

),

agent_sessions as (

    select * from {{ ref('fct_sessions') }}
    where {{ conversation_agent_sessions() }} {{ and_if_incremental(
        session_date_key('session_date') ~ ' in (select changed_dates.session_date_key from changed_dates)'
    ) }}

),

cells as (

    select
        session_date,
        queue_id,
        channel_code,
        agent_id,
        conversation_id,
        count(*) as agent_sessions
    from agent_sessions
    group by session_date, queue_id, channel_code, agent_id, conversation_id

),

final as (

    select
        {{ surrogate_key([
            'cells.session_date', 'cells.queue_id', 'cells.channel_code', 'cells.agent_id', 'cells.conversation_id',
        ]) }} as session_conversation_key,
        {{ session_date_key('cells.session_date') }} as session_date_key,
        cells.session_date,
        cells.queue_id,
        cells.channel_code,
        cells.agent_id,
        cells.conversation_id,
        coalesce(conversations.is_outbound, false) as is_outbound,
        cast(cells.agent_sessions as {{ dbt.type_bigint() }}) as agent_sessions,
        conversations.source_modified_at
    from cells
    left join conversations
        on cells.conversation_id = conversations.conversation_id

)

select * from final
