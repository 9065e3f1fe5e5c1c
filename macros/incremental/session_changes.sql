{#- fct_sessions post-hook: after an incremental run, drop sessions deleted from the export or out of scope. -#}
{% macro delete_sessions_no_longer_in_scope() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where session_id not in (
            select session_id from {{ ref('stg_dataverse__sessions') }}
            where {{ is_in_scope_session() }}
        )
    {%- endif -%}
{%- endmacro %}


{#- A session date as a never-NULL text key: the unit an incremental aggregate replaces. -#}
{% macro session_date_key(session_date) -%}
    coalesce(cast({{ session_date }} as {{ dbt.type_string() }}), '')
{%- endmacro %}


{#- Aggregate post-hook: after an incremental run, drop the dates left without agent sessions. -#}
{% macro delete_dates_without_sessions() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where session_date_key not in (
            select {{ session_date_key('session_date') }}
            from {{ ref('fct_sessions') }}
            where not is_bot_session
        )
    {%- endif -%}
{%- endmacro %}


{#- A one-row select of the latest value of column in this incremental model (1900-01-01 when empty or on a full build). -#}
{% macro incremental_high_water_mark(column) -%}
    {%- set floor = "cast('1900-01-01' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- if is_incremental() -%}
        select coalesce(max({{ column }}), {{ floor }}) as modified_at
        from {{ this }}
    {%- else -%}
        select {{ floor }} as modified_at
    {%- endif -%}
{%- endmacro %}


{#-
    The session dates (as session_date_key) the incremental aggregate must recompute: dates
    holding a session that changed after since_sql, and dates whose agent-session count no
    longer matches fct_sessions (a session deleted or moved to another date). sessions_column:
    the aggregate's column counting agent sessions.
-#}
{% macro session_dates_to_refresh(since_sql, sessions_column='total_sessions') -%}
    select {{ session_date_key('session_date') }} as session_date_key
    from {{ ref('fct_sessions') }}
    where source_modified_at > {{ since_sql }}
        or source_modified_at is null
    {%- if is_incremental() %}
    union
    {{ keys_whose_count_differs(
        'session_date_key',
        "select " ~ session_date_key('session_date') ~ " as session_date_key, count(*) as row_count from "
            ~ ref('fct_sessions') ~ " where not is_bot_session group by " ~ session_date_key('session_date'),
        "select session_date_key, sum(" ~ sessions_column ~ ") as row_count from " ~ this ~ " group by session_date_key"
    ) }}
    {%- endif %}
{%- endmacro %}


{#- "and <condition>" in an incremental run, nothing otherwise: the filter that limits a run to what changed. -#}
{% macro and_if_incremental(condition) -%}
    {%- if is_incremental() -%}
        and {{ condition }}
    {%- endif -%}
{%- endmacro %}


{#- The keys of a Dataverse table written to the lake after since_sql (or whose rows lack sinkmodifiedon). -#}
{% macro keys_changed_since(table_name, since_sql) -%}
    select record_id
    from {{ ref('stg_dataverse__row_changes') }}
    where table_name = '{{ table_name }}'
        and (key_modified_at > {{ since_sql }} or key_modified_at is null)
{%- endmacro %}


{#-
    The sessions a session-keyed incremental model must recompute: those whose rows (or whose
    participants', sentiments' or participant events' rows) were written to the lake after the latest
    source_modified_at already in this model, or lack sinkmodifiedon (int_session_changes_rolled_up).
-#}
{% macro sessions_changed_since_last_run() -%}
    select session_changes.session_id
    from {{ ref('int_session_changes_rolled_up') }} as session_changes
    where session_changes.source_modified_at > (
        {{ incremental_high_water_mark('source_modified_at') }}
    )
        or session_changes.source_modified_at is null
{%- endmacro %}


{#-
    Session-keyed pre-hook: before an incremental run, drop the rows of the sessions it
    recomputes, so that a session left without rows (its last participant or sentiment deleted,
    the session itself deleted) disappears instead of keeping its old row.
-#}
{% macro delete_changed_sessions() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where session_id in ({{ sessions_changed_since_last_run() }})
    {%- endif -%}
{%- endmacro %}


{#-
    The keys whose count of rows (column row_count of both selects) differs between what the
    upstream model holds now (current_sql) and what this incremental model was built from
    (previous_sql), a key missing on one side included: a key that lost or gained rows.
-#}
{% macro keys_whose_count_differs(key, current_sql, previous_sql) -%}
    select coalesce(current_counts.{{ key }}, previous_counts.{{ key }}) as {{ key }}
    from ({{ current_sql }}) as current_counts
    full outer join ({{ previous_sql }}) as previous_counts
        on current_counts.{{ key }} = previous_counts.{{ key }}
    where current_counts.row_count is null
        or previous_counts.row_count is null
        or current_counts.row_count <> previous_counts.row_count
{%- endmacro %}
