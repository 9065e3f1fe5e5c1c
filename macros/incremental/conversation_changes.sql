{#-
    The conversations fct_conversations must recompute: those with a session (in fct_sessions)
    that changed after since_sql or lacks the time, with a session of an agent that changed,
    whose conversation row (msdyn_ocliveworkitem) changed, and those whose session count no
    longer matches fct_sessions (a session deleted, out of scope or moved to another conversation).
-#}
{% macro conversations_to_refresh(since_sql) -%}
    select conversation_id
    from {{ ref('fct_sessions') }}
    where conversation_id is not null
        and (source_modified_at > {{ since_sql }} or source_modified_at is null)
    {%- if is_incremental() %}
    union
    select conversation_id
    from {{ ref('fct_sessions') }}
    where conversation_id is not null
        and agent_id in ({{ keys_changed_since('systemuser', since_sql) }})
    union
    select record_id as conversation_id
    from ({{ keys_changed_since('msdyn_ocliveworkitem', since_sql) }}) as changed_conversation_rows
    union
    select coalesce(fact_conversations.conversation_id, previous.conversation_id)
    from (
        select
            conversation_id,
            count(*) as session_count
        from {{ ref('fct_sessions') }}
        where conversation_id is not null
        group by conversation_id
    ) as fact_conversations
    full outer join {{ this }} as previous
        on fact_conversations.conversation_id = previous.conversation_id
    where fact_conversations.session_count is null
        or previous.session_count is null
        or fact_conversations.session_count <> previous.session_count
    {%- endif %}
{%- endmacro %}


{#- fct_conversations post-hook: after an incremental run, drop the conversations left without an in-scope session. -#}
{% macro delete_conversations_without_sessions() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where conversation_id not in (
            select conversation_id from {{ ref('fct_sessions') }}
            where conversation_id is not null
        )
    {%- endif -%}
{%- endmacro %}


{#- The condition on fct_sessions of the sessions fct_session_conversations_daily counts: agent sessions with a conversation. -#}
{% macro conversation_agent_sessions() -%}
    not is_bot_session and conversation_id is not null
{%- endmacro %}
