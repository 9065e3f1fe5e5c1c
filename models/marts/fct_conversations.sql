with

sessions as (

    select * from {{ ref('fct_sessions') }}
    where conversation_id is not null

),

conversations as (

    select * from {{ ref('stg_dataverse__conversations') }}

),

session_rollup as (

    select
        conversation_id,
        count(*) as session_count,
        {{ count_where('not is_bot_session') }} as agent_session_count,
        {{ count_where('is_transferred_out') }} as transferred_sessions,
        cast(sum(handle_time_seconds) as double) as handle_time_seconds,
        min(created_at) as first_session_created_at,
        max(closed_at) as last_session_closed_at
    from sessions
    group by conversation_id

),

final as (

    select
        session_rollup.conversation_id,
        conversations.is_outbound,
        cast(conversations.status_code as {{ dbt.type_int() }}) as status_code,
        conversations.created_at as conversation_created_at,
        conversations.closed_at as conversation_closed_at,
        session_rollup.session_count,
        session_rollup.agent_session_count,
        session_rollup.transferred_sessions,
        session_rollup.handle_time_seconds,
        session_rollup.first_session_created_at,
        session_rollup.last_session_closed_at
    from session_rollup
    left join conversations
        on session_rollup.conversation_id = conversations.conversation_id

)

select * from final
