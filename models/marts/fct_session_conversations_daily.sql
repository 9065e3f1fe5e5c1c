{#-
    One row per conversation per grain cell (session_date, queue_id, channel_code, agent_id) that
    holds at least one of its agent sessions, with the conversation's outbound flag: the bridge for
    Microsoft's historical "incoming conversations", the denominator of its historical rates
    (docs/microsoft-reconciliation.md). A conversation with sessions in two queues appears in both
    cells: count distinct conversation_id at the grain you report, never sum a per-cell count.
-#}
with

agent_sessions as (

    select * from {{ ref('fct_sessions') }}
    where not is_bot_session
        and conversation_id is not null

),

conversations as (

    select * from {{ ref('fct_conversations') }}

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
        cast(cells.agent_sessions as {{ dbt.type_bigint() }}) as agent_sessions
    from cells
    left join conversations
        on cells.conversation_id = conversations.conversation_id

)

select * from final
