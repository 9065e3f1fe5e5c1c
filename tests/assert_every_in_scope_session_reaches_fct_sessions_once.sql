-- Integrity: every current in-scope staged session is in fct_sessions exactly once,
-- and fct_sessions holds nothing else.
with

staged as (

    select session_id from {{ ref('stg_dataverse__sessions') }}
    where {{ is_in_scope_session() }}

),

fact as (

    select
        session_id,
        count(*) as rows_in_fact
    from {{ ref('fct_sessions') }}
    group by session_id

)

select
    coalesce(staged.session_id, fact.session_id) as session_id,
    coalesce(fact.rows_in_fact, 0) as rows_in_fact,
    staged.session_id is not null as is_staged
from staged
full outer join fact
    on staged.session_id = fact.session_id
where staged.session_id is null
    or fact.session_id is null
    or fact.rows_in_fact <> 1
