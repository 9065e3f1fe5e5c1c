{{ config(materialized=incremental_where_supported(), unique_key='msdyn_sessionparticipantid') }}

{#-
    Every raw row of msdyn_sessionparticipant (session participants): each column parsed by its kind, the key normalised,
    versions ranked per key, and the row's load state. The only model that reads this table's
    files. Incremental: a run reads only the files that are new or changed since the last run
    (macros/dataverse/export/dataverse_files.sql) and replaces the rows of their keys, re-ranked with
    the rows of those keys already loaded, so versions and tombstones are ranked over the key's whole
    history. Rules: macros/dataverse/versioning; definitions: docs/metrics.md#versions-and-tombstones.
-#}

{%- set raw_columns = dataverse_raw_columns('msdyn_sessionparticipant') -%}
{%- set columns = [
    ('msdyn_omnichannelsession',              'guid'),
    ('msdyn_agentid',                         'guid'),
    ('msdyn_mode',                            'integer'),
    ('msdyn_addedon',                         'timestamp'),
    ('msdyn_joinedon',                        'timestamp'),
    ('msdyn_lefton',                          'timestamp'),
    ('msdyn_leftonreason',                    'string'),
    ('msdyn_activetime',                      'integer'),
    ('msdyn_externalparticipantchannel',      'string'),
    ('msdyn_externalparticipantchanneltype',  'integer'),
    ('msdyn_inactivetime',                    'integer'),
    ('msdyn_talktime',                        'integer'),
    ('msdyn_holdtime',                        'integer'),
    ('msdyn_activewrapuptime',                'integer'),
] + dataverse_export_mechanics() -%}
{%- set files = dataverse_files_to_read('msdyn_sessionparticipant', 'msdyn_sessionparticipantid', raw_columns) -%}

with

source as (

    select * from {{ dataverse_read_rows(source('dataverse', 'msdyn_sessionparticipant'), 'msdyn_sessionparticipant', files) }}  -- noqa: LT05

),
{%- if is_incremental() %}

changed_keys as (

    {{ dataverse_changed_keys(raw_columns, 'msdyn_sessionparticipantid', files) }}

),
{%- endif %}

new_rows as (

    select
        {{ dataverse_key(raw_columns, 'msdyn_sessionparticipantid') }} as msdyn_sessionparticipantid,
        {%- for name, kind in columns %}
        {{ dataverse_parse(raw_columns, name, kind) }} as {{ name }},  -- noqa: LT02
        {%- endfor %}
        {{ dataverse_unparseable_columns(raw_columns, columns) }} as _unparseable_columns,
        {{ dataverse_file_columns(files) }}
    from source
    {%- if is_incremental() %}
    where {{ dataverse_key(raw_columns, 'msdyn_sessionparticipantid') }} in (select changed_keys.msdyn_sessionparticipantid from changed_keys)
    {%- endif %}

),

parsed as (

    select * from new_rows
    {{- dataverse_loaded_rows('msdyn_sessionparticipantid', columns, files) }}

),

keyed as (

    select
        *,
        {{ dataverse_quarantine_reason('msdyn_sessionparticipantid') }} as _quarantine_reason
    from parsed

),

multi_version_keys as (

    -- Most keys have one row, their current version: only keys with several rows are
    -- ranked.
    select msdyn_sessionparticipantid
    from keyed
    group by msdyn_sessionparticipantid
    having count(*) > 1

),

ranked as (

    select
        *,
        {{ dataverse_key_modified_at('msdyn_sessionparticipantid') }} as _key_modified_at,
        {{ dataverse_version_rank('msdyn_sessionparticipantid', columns) }} as _version_rank
    from keyed
    where msdyn_sessionparticipantid in (select multi_version_keys.msdyn_sessionparticipantid from multi_version_keys)

),

versioned as (

    select
        *,
        {{ dataverse_key_is_deleted('msdyn_sessionparticipantid') }} as _key_is_deleted
    from ranked

    union all

    select
        *,
        sinkmodifiedon as _key_modified_at,
        cast(1 as {{ dbt.type_bigint() }}) as _version_rank,
        coalesce(isdelete, false) as _key_is_deleted
    from keyed
    where
        msdyn_sessionparticipantid not in (
            select multi_version_keys.msdyn_sessionparticipantid from multi_version_keys
        )

),

final as (

    select
        *,
        {{ dataverse_load_state() }} as _load_state
    from versioned

)

select * from final  -- noqa: AM04
