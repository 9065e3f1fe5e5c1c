{#-
    Incremental base models read only what is new (docs/incremental.md, "The base layer").
    Every base row records the file it was read from (_source_file, relative to var
    dataverse_path) and that file's stamp when it was read (_source_file_size,
    _source_file_modified_at_us). An incremental run lists the files the table is read from now
    (Parquet / CSV: the folder's files; Delta: the files of the current snapshot, from the log;
    CDM: the partitions the model.json files list, incremental folders included), compares them
    with the stamps in the warehouse, and reads only the files that are new or whose stamp changed;
    of a file that only grew (a CSV partition appended to in place), only the rows written after
    the latest already loaded from it. The rows of a file that changed otherwise or is gone are replaced: their keys are re-ranked from the
    rows still loaded plus the rows now read. A row of a gone or changed file that is not read
    again and that no newer row of its key supersedes (a hard delete, a file removed from the
    lake) would make the incremental result differ from a full refresh without any change the
    downstream models can see: the build stops, naming the table and the files, and asks for
    --full-refresh.
-#}


{#-
    The files of a table for this run: none when the engine reads tables, not files (or inside
    a unit test); else {'current': {path: [size, modified_at_us]} of every file read now,
    'read': the paths to read in this run (all of them on a full build), 'gone': the paths of
    loaded rows whose file is gone or changed, 'grown': {path: written_until} of the changed files
    that only grew (read from written_until on), 'written_at': the SQL of a raw row's
    sinkmodifiedon}. Paths are absolute; the warehouse stores them relative to the export root.
-#}
{% macro dataverse_files_to_read(table_name, key, raw_columns) %}
    {%- if not execute or (model is mapping and model.get('resource_type') == 'unit_test') -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set current = dataverse_file_stamps(table_name) -%}
    {%- if current is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set files = {'current': current, 'read': current.keys() | sort, 'gone': [], 'grown': {},
        'written_at': dataverse_parse(raw_columns, 'sinkmodifiedon', 'timestamp')} -%}
    {%- if not is_incremental() -%}
        {{- return(files) -}}
    {%- endif -%}
    {%- set loaded = dataverse_loaded_files(table_name) -%}
    {%- set read, gone, grown = [], [], {} -%}
    {%- for path in current.keys() | sort -%}
        {%- set prior = loaded.get(path) -%}
        {%- if prior is none -%}
            {%- do read.append(path) -%}
        {%- elif prior.stamp != current[path] -%}
            {%- do read.append(path) -%}
            {%- if dataverse_file_only_grew(table_name, path, prior, files) -%}
                {%- do grown.update({path: prior.written_until}) -%}
            {%- else -%}
                {%- do gone.append(path) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for path in loaded.keys() | sort if path not in current -%}
        {%- do gone.append(path) -%}
    {%- endfor -%}
    {%- do files.update({'read': read, 'gone': gone, 'grown': grown}) -%}
    {%- if gone -%}
        {%- do dataverse_check_replaced_rows(table_name, key, raw_columns, files) -%}
    {%- endif -%}
    {{- return(files) -}}
{% endmacro %}


{#-
    A changed file only grew (Synapse Link appends to a CSV partition in place) when it is larger
    than when it was read, every row loaded from it has a sinkmodifiedon, and it now holds exactly
    as many rows written until the latest of those as were loaded, and none without one: its rows
    from then on are the new ones. Anything else (a row rewritten in place, a row removed) reads it
    again whole.
-#}
{% macro dataverse_file_only_grew(table_name, path, prior, files) %}
    {%- if files.current[path][0] <= prior.stamp[0] or prior.rows != prior.dated_rows or prior.rows == 0 -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- set one_file = {'current': files.current, 'read': [path], 'gone': [], 'grown': {}} -%}
    {%- set counted = run_query("select count(*) filter (where epoch_us(written_at) <= " ~ prior.written_until
        ~ "), count(*) filter (where written_at is null) from (select " ~ files.written_at ~ " as written_at from "
        ~ dataverse_read_rows(none, table_name, one_file) ~ " as source) as file_rows").rows[0] -%}
    {{- return(counted[0] == prior.rows and counted[1] == 0) -}}
{% endmacro %}


{#- {absolute path: [size, modified_at_us]} of the files a table is read from now; {} when the export lacks the table; none when the engine reads tables. -#}
{% macro dataverse_file_stamps(table_name) %}
    {{- return(adapter.dispatch('dataverse_file_stamps', 'omnichannel_analytics')(table_name)) -}}
{% endmacro %}

{% macro default__dataverse_file_stamps(table_name) %}
    {{- return(none) -}}
{% endmacro %}

{% macro duckdb__dataverse_file_stamps(table_name) %}
    {%- set files = dataverse_table_files(table_name) -%}
    {%- set stamps = {} -%}
    {%- if files -%}
        {%- set quoted = [] -%}
        {%- for file in files -%}
            {%- do quoted.append("'" ~ dataverse_sql_text(file) ~ "'") -%}
        {%- endfor -%}
        {#- read_blob without its content column reads the file system's metadata only. -#}
        {%- for row in run_query("select filename, size, epoch_us(last_modified) from read_blob(["
            ~ quoted | join(', ') ~ "])").rows -%}
            {%- do stamps.update({row[0]: [row[1] | int, row[2] | int]}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(stamps) -}}
{% endmacro %}


{#- The absolute paths of the files a table is read from now (DuckDB), by dataverse_format(); [] when the export lacks the table. -#}
{% macro dataverse_table_files(table_name) %}
    {%- set fmt = dataverse_format() -%}
    {%- set folder = dataverse_root() ~ '/' ~ table_name -%}
    {%- if dataverse_duckdb_reader(table_name) is none -%}
        {{- return([]) -}}
    {%- endif -%}
    {%- if fmt == 'cdm' -%}
        {%- set files = [] -%}
        {%- for group in dataverse_cdm_groups(table_name) or [] -%}
            {%- for file in group.files if file not in files -%}
                {%- do files.append(file) -%}
            {%- endfor -%}
        {%- endfor -%}
        {{- return(files) -}}
    {%- elif fmt == 'delta' -%}
        {{- return(dataverse_delta_files_of(folder)) -}}
    {%- endif -%}
    {{- return(run_query("select file from glob('" ~ dataverse_sql_text(folder ~ '/*.' ~ fmt) ~ "') order by file")
        .columns[0].values() | list) -}}
{% endmacro %}


{#-
    What this incremental model holds of each file: {absolute path: {stamp: [size, modified_at_us]
    of its latest read, rows, dated_rows: rows with a sinkmodifiedon, written_until: their latest
    sinkmodifiedon in microseconds}}. A table built before the file columns existed stops the
    build asking for --full-refresh.
-#}
{% macro dataverse_loaded_files(table_name) %}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(this) -%}
        {%- do names.append(column.name | lower) -%}
    {%- endfor -%}
    {%- if '_source_file' not in names -%}
        {{ exceptions.raise_compiler_error(this ~ " (Dataverse table '" ~ table_name ~ "') was built by a version of this "
            ~ "project that did not record the files it read: rebuild it once with dbt build --full-refresh.") }}
    {%- endif -%}
    {%- set root = dataverse_root() -%}
    {%- set loaded = {} -%}
    {%- for row in run_query("select _source_file, arg_max(_source_file_size, _source_file_modified_at_us), "
        ~ "max(_source_file_modified_at_us), count(*), count(sinkmodifiedon), coalesce(epoch_us(max(sinkmodifiedon)), 0) "
        ~ "from " ~ this ~ " where _source_file is not null group by _source_file").rows -%}
        {%- do loaded.update({root ~ '/' ~ row[0]: {'stamp': [row[1] | int, row[2] | int], 'rows': row[3] | int,
            'dated_rows': row[4] | int, 'written_until': row[5] | int}}) -%}
    {%- endfor -%}
    {{- return(loaded) -}}
{% endmacro %}


{#-
    The raw rows a base model parses in this run, each with _source_file (relative to the
    export root), _source_file_size and _source_file_modified_at_us: the rows of files['read']
    (all files on a full build). files none: the rows as dataverse_read gives them.
-#}
{% macro dataverse_read_rows(relation, table_name, files) %}
    {%- if files is none -%}
        {{- return(dataverse_read(relation, table_name)) -}}
    {%- endif -%}
    {%- set reader = dataverse_duckdb_reader(table_name, with_file_column=true) -%}
    {%- if reader is none -%}
        {{- return("(select *, cast(null as varchar) as _source_file, cast(null as bigint) as _source_file_size, "
            ~ "cast(null as bigint) as _source_file_modified_at_us from " ~ dataverse_read(relation, table_name) ~ ")") -}}
    {%- endif -%}
    {%- set root = dataverse_root() -%}
    {%- set grown = files.get('grown') or {} -%}
    {%- set stamps, wanted = [], [] -%}
    {%- for path in files.read -%}
        {%- set stamp = files.current[path] -%}
        {%- do stamps.append("('" ~ dataverse_sql_text(path) ~ "', '" ~ dataverse_sql_text(path[root | length + 1:]) ~ "', "
            ~ stamp[0] ~ ", " ~ stamp[1] ~ ", " ~ grown.get(path, 'null') ~ ")") -%}
        {%- do wanted.append("'" ~ dataverse_sql_text(path) ~ "'") -%}
    {%- endfor -%}
    {%- if not wanted -%}
        {%- do stamps.append("(null, null, null, null, null)") -%}
    {%- endif -%}
    {%- set where = "file_rows._source_path in (" ~ wanted | join(', ') ~ ")" if wanted else "false" -%}
    {%- if grown -%}
        {#- A file that only grew: its rows written after the latest loaded from it. -#}
        {%- set where = where ~ " and (file_stamps.written_after is null or epoch_us(" ~ files.written_at
            ~ ") > file_stamps.written_after)" -%}
    {%- endif -%}
    {#- The filter on the reader's file column prunes the other files before they are opened. -#}
    {{- return("(select file_rows.* exclude (_source_path), file_stamps.source_file as _source_file, "
        ~ "cast(file_stamps.size as bigint) as _source_file_size, "
        ~ "cast(file_stamps.modified_at_us as bigint) as _source_file_modified_at_us "
        ~ "from " ~ reader ~ " as file_rows "
        ~ "inner join (values " ~ stamps | join(', ') ~ ") as file_stamps (source_path, source_file, size, modified_at_us, "
        ~ "written_after) on file_rows._source_path = file_stamps.source_path "
        ~ "where " ~ where ~ ")") -}}
{% endmacro %}


{#- The file columns of a base row (dataverse_read_rows), or NULLs when the engine reads tables. -#}
{% macro dataverse_file_columns(files) -%}
    {%- if files is none -%}
        cast(null as {{ dbt.type_string() }}) as _source_file,
        cast(null as {{ dbt.type_bigint() }}) as _source_file_size,
        cast(null as {{ dbt.type_bigint() }}) as _source_file_modified_at_us
    {%- else -%}
        _source_file,
        _source_file_size,
        _source_file_modified_at_us
    {%- endif -%}
{%- endmacro %}


{#-
    The keys whose rows an incremental run replaces. Reading files: the keys of the rows read
    plus the keys of loaded rows whose file is gone or changed. Reading tables: the keys with a
    row written after the latest sinkmodifiedon loaded (all their rows are read again).
-#}
{% macro dataverse_changed_keys(raw_columns, key, files) -%}
    select distinct {{ dataverse_key(raw_columns, key) }} as {{ key }}
    from source
    {%- if files is none %}
    where {{ dataverse_written_since_last_run(raw_columns) }}
    {%- elif files.gone %}
    union
    select loaded.{{ key }}
    from {{ this }} as loaded
    where {{ dataverse_in_files('loaded._source_file', files.gone) }}
    {%- endif %}
{%- endmacro %}


{#-
    Reading files, incremental: "union all" the parsed rows already loaded for the changed keys
    whose file is unchanged (columns: the model's parsed (name, kind) pairs). Nothing otherwise:
    a table read gives all rows of the changed keys again.
-#}
{% macro dataverse_loaded_rows(key, columns, files) -%}
    {%- if files is not none and is_incremental() %}
    union all
    select
        loaded.{{ key }},
        {%- for name, kind in columns %}
        loaded.{{ name }},
        {%- endfor %}
        loaded._unparseable_columns,
        loaded._source_file,
        loaded._source_file_size,
        loaded._source_file_modified_at_us
    from {{ this }} as loaded
    where loaded.{{ key }} in (select changed_keys.{{ key }} from changed_keys)
    {%- if files.gone %}
        and not {{ dataverse_in_files('loaded._source_file', files.gone) }}
    {%- endif %}
    {%- endif %}
{%- endmacro %}


{#- SQL: the relative path column is one of the (absolute) paths. -#}
{% macro dataverse_in_files(column, paths) -%}
    {%- set root = dataverse_root() -%}
    {%- set quoted = [] -%}
    {%- for path in paths -%}
        {%- do quoted.append("'" ~ dataverse_sql_text(path[root | length + 1:]) ~ "'") -%}
    {%- endfor -%}
    coalesce({{ column }} in ({{ quoted | join(', ') }}), false)
{%- endmacro %}


{#-
    Before an incremental run replaces the rows of gone or changed files: every such row must be
    read again (the same key, versionnumber, sinkmodifiedon and isdelete) or be superseded by a
    newer row of its key (greater versionnumber, or the same and a later sinkmodifiedon) among the
    rows kept or read. Otherwise the build stops, naming the table and the files.
-#}
{% macro dataverse_check_replaced_rows(table_name, key, raw_columns, files) %}
    {%- set new_key = dataverse_key(raw_columns, key) -%}
    {%- set check -%}
        with

        replaced as (
            select {{ key }} as row_key, versionnumber, sinkmodifiedon, coalesce(isdelete, false) as isdelete, _source_file
            from {{ this }}
            where {{ dataverse_in_files('_source_file', files.gone) }}
        ),

        kept_or_read as (
            select {{ key }} as row_key, versionnumber, sinkmodifiedon, coalesce(isdelete, false) as isdelete
            from {{ this }}
            where not {{ dataverse_in_files('_source_file', files.gone) }}
            {%- if files.read %}
            union all
            select
                {{ new_key }},
                {{ dataverse_parse(raw_columns, 'versionnumber', 'bigint') }},
                {{ dataverse_parse(raw_columns, 'sinkmodifiedon', 'timestamp') }},
                coalesce({{ dataverse_parse(raw_columns, 'isdelete', 'boolean') }}, false)
            from {{ dataverse_read_rows(none, table_name, files) }} as source
            {%- endif %}
        )

        select replaced._source_file, count(*) as lost_rows
        from replaced
        where not exists (
            select 1
            from kept_or_read
            where kept_or_read.row_key = replaced.row_key
                and (
                    (kept_or_read.versionnumber is not distinct from replaced.versionnumber
                        and kept_or_read.sinkmodifiedon is not distinct from replaced.sinkmodifiedon
                        and kept_or_read.isdelete = replaced.isdelete)
                    or kept_or_read.versionnumber > replaced.versionnumber
                    or (kept_or_read.versionnumber is not distinct from replaced.versionnumber
                        and kept_or_read.sinkmodifiedon > replaced.sinkmodifiedon)
                )
        )
        group by replaced._source_file
        order by replaced._source_file
    {%- endset -%}
    {%- set lost = run_query(check) -%}
    {%- if lost.rows | length > 0 -%}
        {%- set described = [] -%}
        {%- for row in lost.rows -%}
            {%- do described.append(row[0] ~ ' (' ~ row[1] ~ ' rows)') -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error("Dataverse table '" ~ table_name ~ "': rows loaded from "
            ~ described | join(', ') ~ " are no longer in the export (the file was removed or rewritten without them: "
            ~ "a hard delete, or a file taken out of the lake), and no newer version replaces them. An incremental "
            ~ "run cannot remove them the way a full rebuild would: run dbt build --full-refresh.") }}
    {%- endif -%}
{% endmacro %}
