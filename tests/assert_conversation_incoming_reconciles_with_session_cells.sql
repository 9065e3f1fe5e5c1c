-- Over the whole export, the incoming conversations counted once each (metric_conversation_incoming)
-- equal the distinct incoming conversations of the session cells (fct_session_conversations_daily,
-- the bridge behind metric_incoming_conversations).
with

conversation_side as (

    select coalesce(sum(incoming_conversations), 0) as incoming
    from {{ ref('metric_conversation_incoming') }}

),

session_side as (

    select count(distinct conversation_id) as incoming
    from {{ ref('fct_session_conversations_daily') }}
    where not is_outbound

)

select
    conversation_side.incoming as conversation_side_incoming,
    session_side.incoming as session_side_incoming
from conversation_side
cross join session_side
where conversation_side.incoming <> session_side.incoming
