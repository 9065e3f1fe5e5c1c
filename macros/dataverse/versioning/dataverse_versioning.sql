{#-
    The versioning rules of a Dataverse export (Synapse Link, append-only), as the base models
    apply them per key:
      current     - the latest version of a key: greatest versionnumber, then latest
                    sinkmodifiedon, then a tombstone, then the column values (a total order)
      superseded  - an older version of a key that still exists
      deleted     - any version of a key whose current row is a tombstone
      quarantined - the row cannot be used (its _quarantine_reason says why)
-#}

{#- The columns Synapse Link adds to every table, as (name, kind), in the order they are ranked. -#}
{% macro dataverse_export_mechanics() %}
    {{- return([('versionnumber', 'bigint'), ('sinkmodifiedon', 'timestamp'), ('isdelete', 'boolean')]) -}}
{% endmacro %}


{#- Why a row cannot be used, from its normalised key ('' = none); NULL for a usable key. -#}
{% macro dataverse_quarantine_reason(key) -%}
    case
        when {{ key }} = '' then 'null primary key'
        when not {{ is_canonical_guid(key) }} then 'malformed primary key'
    end
{%- endmacro %}


{#- 1 for a key's current version, 2, 3, ... for older ones (columns: the parsed (name, kind) pairs). -#}
{% macro dataverse_version_rank(key, columns) -%}
    row_number() over (
        partition by {{ key }}
        order by
            versionnumber desc nulls last,
            sinkmodifiedon desc nulls last,
            coalesce(isdelete, false) desc
            {%- for name, kind in columns if name not in ['versionnumber', 'sinkmodifiedon', 'isdelete'] %},
            {{ name }} nulls last
            {%- endfor %}
    )
{%- endmacro %}


{#- When the key last changed in the lake: its latest sinkmodifiedon; NULL when one of its rows has none. -#}
{% macro dataverse_key_modified_at(key) -%}
    case
        when count(sinkmodifiedon) over (partition by {{ key }}) = count(*) over (partition by {{ key }})
            then max(sinkmodifiedon) over (partition by {{ key }})
    end
{%- endmacro %}


{#- True on every row of a key whose current version (_version_rank = 1) is a tombstone. -#}
{% macro dataverse_key_is_deleted(key) -%}
    max(case when _version_rank = 1 and coalesce(isdelete, false) then 1 else 0 end)
        over (partition by {{ key }}) = 1
{%- endmacro %}


{#- The row's load state from the columns above. -#}
{% macro dataverse_load_state() -%}
    case
        when _quarantine_reason is not null then 'quarantined'
        when _key_is_deleted then 'deleted'
        when _version_rank > 1 then 'superseded'
        else 'current'
    end
{%- endmacro %}


{#-
    Incremental runs: true for a raw row written to the lake after the table's high-water mark
    (the latest sinkmodifiedon already loaded) or with no sinkmodifiedon.
-#}
{% macro dataverse_written_since_last_run(raw_columns) -%}
    {%- set written_at = dataverse_parse(raw_columns, 'sinkmodifiedon', 'timestamp') -%}
    ({{ written_at }}) is null
    or ({{ written_at }}) > (
        select coalesce(max(loaded.sinkmodifiedon), cast('1900-01-01' as {{ dbt.type_timestamp() }}))
        from {{ this }} as loaded
    )
{%- endmacro %}
