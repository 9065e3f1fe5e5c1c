{{ config(materialized=incremental_where_supported(), unique_key='activityid') }}

{#-
    Every raw row of msdyn_ocsession (sessions): each column parsed by its kind, the key normalised,
    versions ranked per key, and the row's load state. The only model that reads this table's
    files. Incremental: a run reads only the files that are new or changed since the last run
    (macros/dataverse/export/dataverse_files.sql) and replaces the rows of their keys, re-ranked with
    the rows of those keys already loaded, so versions and tombstones are ranked over the key's whole
    history. Rules: macros/dataverse/versioning; definitions: docs/metrics.md#versions-and-tombstones.
-#}

{%- set raw_columns = dataverse_raw_columns('msdyn_ocsession') -%}
{%- set columns = [
    ('msdyn_sessionid',          'string'),
    ('msdyn_liveworkitemid',     'guid'),
    ('msdyn_queueid',            'guid'),
    ('msdyn_cdsqueueid',         'guid'),
    ('msdyn_channel',            'integer'),
    ('msdyn_channelinstanceid',  'guid'),
    ('msdyn_sessioncreatedon',   'timestamp'),
    ('msdyn_agentassignedon',    'timestamp'),
    ('msdyn_agentacceptedon',    'timestamp'),
    ('msdyn_sessionclosedon',    'timestamp'),
    ('msdyn_state',              'integer'),
    ('msdyn_closurereason',      'integer'),
    ('statuscode',               'integer'),
] + dataverse_export_mechanics() -%}
{%- set files = dataverse_files_to_read('msdyn_ocsession', 'activityid', raw_columns) -%}

with

source as (

    select * from {{ dataverse_read_rows(source('dataverse', 'msdyn_ocsession'), 'msdyn_ocsession', files) }}

),
{%- if is_incremental() %}

changed_keys as (

    {{ dataverse_changed_keys(raw_columns, 'activityid', files) }}

),
{%- endif %}

new_rows as (

    select
        {{ dataverse_key(raw_columns, 'activityid') }} as activityid,
        {%- for name, kind in columns %}
        {{ dataverse_parse(raw_columns, name, kind) }} as {{ name }},  -- noqa: LT02
        {%- endfor %}
        {{ dataverse_unparseable_columns(raw_columns, columns) }} as _unparseable_columns,
        {{ dataverse_file_columns(files) }}
    from source
    {%- if is_incremental() %}
    where {{ dataverse_key(raw_columns, 'activityid') }} in (select changed_keys.activityid from changed_keys)
    {%- endif %}

),

parsed as (

    select * from new_rows
    {{- dataverse_loaded_rows('activityid', columns, files) }}

),

keyed as (

    select
        *,
        {{ dataverse_quarantine_reason('activityid') }} as _quarantine_reason
    from parsed

),

multi_version_keys as (

    -- Most keys have one row, their current version: only keys with several rows are
    -- ranked.
    select activityid
    from keyed
    group by activityid
    having count(*) > 1

),

ranked as (

    select
        *,
        {{ dataverse_key_modified_at('activityid') }} as _key_modified_at,
        {{ dataverse_version_rank('activityid', columns) }} as _version_rank
    from keyed
    where activityid in (select multi_version_keys.activityid from multi_version_keys)

),

versioned as (

    select
        *,
        {{ dataverse_key_is_deleted('activityid') }} as _key_is_deleted
    from ranked

    union all

    select
        *,
        sinkmodifiedon as _key_modified_at,
        cast(1 as {{ dbt.type_bigint() }}) as _version_rank,
        coalesce(isdelete, false) as _key_is_deleted
    from keyed
    where activityid not in (select multi_version_keys.activityid from multi_version_keys)

),

final as (

    select
        *,
        {{ dataverse_load_state() }} as _load_state
    from versioned

)

select * from final  -- noqa: AM04
