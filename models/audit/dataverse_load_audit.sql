{#-
    Where every raw row of the export went: per table, load state and reason, the rows.
    States: current, superseded (an older version), deleted (a tombstone, or any row of a key
    whose current row is a tombstone), quarantined (unusable; the reason says why).
-#}
with

row_states as (

    select * from {{ ref('stg_dataverse__row_states') }}

),

counted as (

    select
        table_name,
        load_state,
        quarantine_reason,
        count(*) as raw_rows
    from row_states
    group by table_name, load_state, quarantine_reason

),

final as (

    select
        {{ surrogate_key(['table_name', 'load_state', 'quarantine_reason']) }} as load_audit_key,
        table_name,
        load_state,
        quarantine_reason,
        raw_rows
    from counted

)

select * from final
