{#-
    Body of a base model: every raw row of one Dataverse table, each column parsed by its
    kind, with the row's load state at the level of its key:
      current     - the latest version of a key (greatest versionnumber, then latest
                    sinkmodifiedon, then a tombstone, then the column values: a total order)
      superseded  - an older version of a key that still exists
      deleted     - any version of a key whose current row is a tombstone
      quarantined - the row cannot be used (see _quarantine_reason)
    _unparseable_columns lists the columns whose non-empty text could not be parsed (the
    value became NULL). Whether a child row's session exists is decided downstream
    (dataverse_row_states), since sessions change independently of their children.

    Incremental (DuckDB): a run re-reads every row of each key that has a row written to the
    lake after the last run (sinkmodifiedon above the table's high-water mark, or NULL) and
    replaces that key's rows (delete+insert on the key column), so ranks and tombstones stay
    right. The key column holds the normalised key, '' when the raw row has none (such a row
    is quarantined): the unit of versioning and of incremental replacement. The model sets
    unique_key to its key column.
-#}
{% macro dataverse_base(source_relation, table_name) %}
    {%- if not execute -%}
        {{- return('select 1 as _not_executed') -}}
    {%- endif -%}
    {%- set spec = dataverse_table_spec(table_name) -%}
    {%- set present = dataverse_present_columns(source_relation, table_name) -%}
    {%- set key = spec.primary_key -%}
    {%- if model.config.materialized == 'incremental' and config.get('unique_key') != key -%}
        {{ exceptions.raise_compiler_error(
            "Base model of '" ~ table_name ~ "' must set unique_key='" ~ key ~ "' (its primary key).") }}
    {%- endif -%}
    {%- set parsed = [] -%}
    {%- set fault_checks = [] -%}
    {%- for column in spec.columns -%}
        {%- if column.name in present -%}
            {%- set raw = adapter.quote(present[column.name].name) -%}
            {%- set source_type = present[column.name].type -%}
            {%- set expr = dataverse_parse_column(raw, column.kind, source_type) -%}
            {%- if source_type | lower in ['varchar', 'string', 'text'] and column.kind not in ['string', 'guid'] -%}
                {%- do fault_checks.append(
                    "case when nullif(trim(" ~ raw ~ "), '') is not null and (" ~ expr ~ ") is null then '"
                    ~ column.name ~ "' end") -%}
            {%- endif -%}
        {%- elif column.required -%}
            {{ exceptions.raise_compiler_error(
                "Dataverse table '" ~ table_name ~ "' lacks the required column '" ~ column.name ~ "'.") }}
        {%- else -%}
            {%- set expr = 'cast(null as ' ~ dataverse_kind_type(column.kind) ~ ')' -%}
        {%- endif -%}
        {%- do parsed.append({'name': column.name, 'expr': expr}) -%}
    {%- endfor %}

    {#- The key column: the normalised key, '' when the raw row has none (parse_guid never gives ''). -#}
    {%- set key_expr = "coalesce(" ~ (parsed | selectattr('name', 'equalto', key) | map(attribute='expr') | first) ~ ", '')" -%}
    {%- set modified_expr = parsed | selectattr('name', 'equalto', 'sinkmodifiedon') | map(attribute='expr') | first %}

with
{%- if is_incremental() %}

high_water_mark as (

    select coalesce(max(sinkmodifiedon), cast('1900-01-01' as {{ dbt.type_timestamp() }})) as modified_at
    from {{ this }}

),

changed_keys as (

    -- Keys with a row written to the lake after the last run, or with no sinkmodifiedon,
    -- found from the two raw columns alone: only these keys' rows are parsed below.
    select distinct {{ key_expr }} as {{ key }}
    from {{ source_relation }}
    where ({{ modified_expr }}) is null
        or ({{ modified_expr }}) > (select high_water_mark.modified_at from high_water_mark)

),
{%- endif %}

source_rows as (

    select
        {%- for column in parsed %}
        {{ key_expr if column.name == key else column.expr }} as {{ column.name }},
        {%- endfor %}
        {%- if fault_checks %}
        nullif(concat_ws(',', {{ fault_checks | join(', ') }}), '') as _unparseable_columns
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as _unparseable_columns
        {%- endif %}
    from {{ source_relation }}
    {%- if is_incremental() %}
    where {{ key_expr }} in (select changed_keys.{{ key }} from changed_keys)
    {%- endif %}

),

keyed as (

    select
        *,
        {{ is_canonical_guid(key) }} as _has_valid_key,
        case
            when {{ key }} = '' then 'null primary key'
            when not {{ is_canonical_guid(key) }} then 'malformed primary key'
        end as _quarantine_reason
    from source_rows

),

multi_row_keys as (

    -- Most keys have a single row, which is their current version: only keys with
    -- several rows are ranked (a window over every raw row costs twice the parse).
    select {{ key }}
    from keyed
    group by {{ key }}
    having count(*) > 1

),

ranked_multi_row_keys as (

    select
        *,
        case
            when count(sinkmodifiedon) over (partition by {{ key }}) = count(*) over (partition by {{ key }})
                then max(sinkmodifiedon) over (partition by {{ key }})
        end as _key_modified_at,
        row_number() over (
            partition by {{ key }}
            order by
                versionnumber desc nulls last,
                sinkmodifiedon desc nulls last,
                coalesce(isdelete, false) desc
                {%- for column in parsed if column.name not in [key, 'versionnumber', 'sinkmodifiedon', 'isdelete'] %},
                {{ column.name }} nulls last
                {%- endfor %}
        ) as _version_rank
    from keyed
    where {{ key }} in (select multi_row_keys.{{ key }} from multi_row_keys)

),

flagged_multi_row_keys as (

    select
        *,
        max(case when _version_rank = 1 and coalesce(isdelete, false) then 1 else 0 end)
            over (partition by {{ key }}) = 1 as _key_is_deleted
    from ranked_multi_row_keys

),

single_row_keys as (

    select
        *,
        sinkmodifiedon as _key_modified_at,
        cast(1 as {{ dbt.type_bigint() }}) as _version_rank,
        coalesce(isdelete, false) as _key_is_deleted
    from keyed
    where {{ key }} not in (select multi_row_keys.{{ key }} from multi_row_keys)

),

current_flagged as (

    select * from flagged_multi_row_keys
    union all
    select * from single_row_keys

)

select
    *,
    case
        when not _has_valid_key then 'quarantined'
        when _key_is_deleted then 'deleted'
        when _version_rank > 1 then 'superseded'
        else 'current'
    end as _load_state
from current_flagged
{%- endmacro %}


{#- One raw column parsed by its kind (guid, timestamp, integer, bigint, double, boolean, string). -#}
{% macro dataverse_parse_column(raw, kind, source_type) %}
    {%- set is_text = source_type | lower in ['varchar', 'string', 'text'] -%}
    {%- if kind == 'guid' -%}
        {{- return(parse_guid(raw)) -}}
    {%- elif kind == 'timestamp' -%}
        {{- return(parse_timestamp_utc(raw, source_type)) -}}
    {%- elif kind == 'boolean' -%}
        {{- return(parse_boolean(raw) if is_text else 'cast(' ~ raw ~ ' as boolean)') -}}
    {%- elif kind == 'string' -%}
        {{- return("nullif(trim(cast(" ~ raw ~ " as " ~ dbt.type_string() ~ ")), '')") -}}
    {%- elif is_text -%}
        {{- return(safe_cast(parse_number_text(raw), dataverse_kind_type(kind))) -}}
    {%- else -%}
        {{- return(safe_cast(raw, dataverse_kind_type(kind))) -}}
    {%- endif -%}
{% endmacro %}


{#- The warehouse type of a column kind. -#}
{% macro dataverse_kind_type(kind) %}
    {%- set types = {
        'guid': dbt.type_string(),
        'string': dbt.type_string(),
        'timestamp': dbt.type_timestamp(),
        'integer': dbt.type_int(),
        'bigint': dbt.type_bigint(),
        'double': 'double',
        'boolean': dbt.type_boolean(),
    } -%}
    {{- return(types[kind]) -}}
{% endmacro %}


{#- Number text as exported: blanks trimmed; a whole number written with a '.0' tail kept whole. -#}
{% macro parse_number_text(raw) -%}
    nullif(trim({{ raw }}), '')
{%- endmacro %}


{#- Text booleans: True/False, true/false, 1/0 (any case, blanks trimmed); anything else NULL. -#}
{% macro parse_boolean(raw) -%}
    case lower(trim({{ raw }}))
        when 'true' then true
        when '1' then true
        when 'false' then false
        when '0' then false
    end
{%- endmacro %}
