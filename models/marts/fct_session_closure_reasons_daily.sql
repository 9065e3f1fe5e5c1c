{#- Agent sessions per closure reason at the reporting grain. -#}
with

agent_sessions as (

    select * from {{ ref('fct_sessions') }}
    where not is_bot_session

),

aggregated as (

    select
        session_date,
        queue_id,
        channel_code,
        agent_id,
        closure_reason_code,
        closure_reason_label,
        count(*) as sessions
    from agent_sessions
    group by session_date, queue_id, channel_code, agent_id, closure_reason_code, closure_reason_label

),

keyed as (

    select
        {{ surrogate_key(['session_date', 'queue_id', 'channel_code', 'agent_id', 'closure_reason_code']) }}
            as session_closure_reason_key,
        *
    from aggregated

)

select * from keyed
