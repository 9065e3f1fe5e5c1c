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
    {{ keys_whose_count_differs(
        'conversation_id',
        "select conversation_id, count(*) as row_count from " ~ ref('fct_sessions')
            ~ " where conversation_id is not null group by conversation_id",
        "select conversation_id, session_count as row_count from " ~ this
    ) }}
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



{#-
    The conversations whose cells fct_session_conversations_daily must recompute: those whose
    source_modified_at or agent-session count in fct_conversations differs from what the rows
    here hold (a new or changed conversation, a time gone back when it lost its latest session,
    a session lost or turned bot), or whose time is unknown. Outside incremental runs: every
    conversation (the model reads no filter then).
-#}
{% macro session_conversation_cells_to_refresh() -%}
    {%- if is_incremental() -%}
        select coalesce(current_conversations.conversation_id, previous.conversation_id) as conversation_id
        from (
            select
                conversation_id,
                max(source_modified_at) as source_modified_at,
                sum(agent_sessions) as agent_sessions
            from {{ this }}
            group by conversation_id
        ) as previous
        full outer join (
            select
                conversation_id,
                source_modified_at,
                agent_session_count
            from {{ ref('fct_conversations') }}
            where agent_session_count > 0
        ) as current_conversations
            on previous.conversation_id = current_conversations.conversation_id
        where previous.conversation_id is null
            or current_conversations.conversation_id is null
            or current_conversations.source_modified_at is null
            or not {{ null_safe_equals('previous.source_modified_at', 'current_conversations.source_modified_at') }}
            or previous.agent_sessions <> current_conversations.agent_session_count
    {%- else -%}
        select conversation_id from {{ ref('fct_conversations') }}
    {%- endif -%}
{%- endmacro %}


{#- fct_session_conversations_daily post-hook: after an incremental run, drop the rows of conversations left without an agent session. -#}
{% macro delete_conversation_cells_without_agent_sessions() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where conversation_id not in (
            select conversation_id from {{ ref('fct_conversations') }}
            where agent_session_count > 0
        )
    {%- endif -%}
{%- endmacro %}
