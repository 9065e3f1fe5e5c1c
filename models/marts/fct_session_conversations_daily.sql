{{
    config(
        materialized=incremental_where_supported(),
        unique_key='conversation_id',
        post_hook="{{ delete_conversation_cells_without_agent_sessions() }}",
    )
}}

{#-
    One row per conversation per grain cell (session_date, queue_id, channel_code, agent_id) that
    holds at least one of its agent sessions, with the conversation's outbound flag: the bridge for
    Microsoft's historical "incoming conversations", the denominator of its historical rates
    (docs/microsoft-reconciliation.md). A conversation with sessions in two queues appears in both
    cells: count distinct conversation_id at the grain you report, never sum a per-cell count.
    Incremental (DuckDB), per conversation (all its cells replaced at once): a run recomputes the
    conversations whose source_modified_at or agent-session count in fct_conversations differs from
    what their rows hold, or whose time is unknown; the post-hook drops the rows of conversations
    left without agent sessions.
-#}

with

-- Read by incremental runs only.
changed_conversations as (  -- noqa: ST03

    {{ session_conversation_cells_to_refresh() }}

),

agent_sessions as (

    select * from {{ ref('fct_sessions') }}
    where not is_bot_session and conversation_id is not null {{ and_if_incremental(
        'conversation_id in (select changed_conversations.conversation_id from changed_conversations)'
    ) }}

),

conversations as (

    select * from {{ ref('fct_conversations') }}
    {%- if is_incremental() %}
    where conversation_id in (select changed_conversations.conversation_id from changed_conversations)
    {%- endif %}

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
