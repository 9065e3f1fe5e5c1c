{#-
    Microsoft's historical "incoming conversations" per grain cell: distinct non-outbound
    conversations with an agent session. NOT additive across cells (a conversation can span
    queues, agents and days): roll up with count(distinct conversation_id) over
    fct_session_conversations_daily where not is_outbound, at the grain you report.
-#}
with

session_conversations as (

    select * from {{ ref('fct_session_conversations_daily') }}

),

final as (

    select
        session_date,
        queue_id,
        channel_code,
        agent_id,
        cast(sum(case when is_outbound then 0 else 1 end) as {{ dbt.type_bigint() }}) as incoming_conversations,
        cast(count(*) as {{ dbt.type_bigint() }}) as conversations
    from session_conversations
    group by session_date, queue_id, channel_code, agent_id

)

select * from final
