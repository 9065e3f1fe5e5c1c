-- Integrity: every conversation id of a current in-scope staged session is in fct_conversations
-- exactly once, and fct_conversations holds nothing else.
with

staged as (

    select distinct conversation_id from {{ ref('stg_dataverse__sessions') }}
    where {{ is_in_scope_session() }}
        and conversation_id is not null

),

fact as (

    select
        conversation_id,
        count(*) as rows_in_fact
    from {{ ref('fct_conversations') }}
    group by conversation_id

)

select
    coalesce(staged.conversation_id, fact.conversation_id) as conversation_id,
    coalesce(fact.rows_in_fact, 0) as rows_in_fact,
    staged.conversation_id is not null as is_staged
from staged
full outer join fact
    on staged.conversation_id = fact.conversation_id
where staged.conversation_id is null
    or fact.conversation_id is null
    or fact.rows_in_fact <> 1
