{#-
    Azure Synapse Link for Dataverse, CSV ("CDM folder"): the rows of one table (the same rules as
    omnichannel_tools.lake.cdm; docs/engines.md, "Reading the export"):
    - the model.json files read: the root's, then each incremental update folder's (a direct
      subfolder holding one), except the folder Changelog/changelog.info names (still being
      written); a model.json missing at the root, or unreadable, stops the build naming it;
    - of each model.json's entity for the table (names case-insensitive): the partition files it
      lists, matched to local files by their path from the table folder's segment of the location
      on (the location is a URI in the customer's storage; after hourly snapshots the root lists
      the snapshot files, and the live files beside them are not read); an incremental folder's
      entity without partitions: every *.csv of its table folder. A listed table without its
      folder, or a listed partition that is missing, stops the build naming table and file;
    - the files have no header: the entity's attributes are the columns, in order, all text
      (lower-case names); a row with fewer fields reads NULL in the rest (null_padding), a
      trailing empty field is dropped, a row with more fields stops the build (DuckDB names the
      file and line). Files of different model.json files are unioned by name.
    Returns none when no model.json lists the table.
-#}
{% macro dataverse_cdm_read(table_name, file_column='') %}
    {%- set groups = dataverse_cdm_groups(table_name) -%}
    {%- if groups is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set selects, columns = [], [] -%}
    {%- for group in groups -%}
        {%- for column in group.columns if column not in columns -%}
            {%- do columns.append(column) -%}
        {%- endfor -%}
        {%- if group.files -%}
            {%- set files, declared = [], [] -%}
            {%- for file in group.files -%}
                {%- do files.append("'" ~ dataverse_sql_text(file) ~ "'") -%}
            {%- endfor -%}
            {%- for column in group.columns -%}
                {%- do declared.append("'" ~ dataverse_sql_text(column) ~ "': 'VARCHAR'") -%}
            {%- endfor -%}
            {%- do selects.append("select * from read_csv([" ~ files | join(', ') ~ "], header = false, columns = {"
                ~ declared | join(', ') ~ "}, null_padding = true, parallel = false, auto_detect = false, "
                ~ "delim = ',', quote = '\"', escape = '\"'" ~ file_column ~ ")") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not selects -%}
        {%- set empty = [] -%}
        {%- for column in columns -%}
            {%- do empty.append('cast(null as varchar) as ' ~ adapter.quote(column)) -%}
        {%- endfor -%}
        {%- if file_column -%}
            {%- do empty.append('cast(null as varchar) as _source_path') -%}
        {%- endif -%}
        {{- return('(select ' ~ empty | join(', ') ~ ' limit 0)') -}}
    {%- endif -%}
    {{- return('(' ~ selects | join(' union all by name ') ~ ')') -}}
{% endmacro %}


{#- The model.json files read, root first: a list of paths. -#}
{% macro dataverse_cdm_model_files() %}
    {%- set root = dataverse_root() -%}
    {%- if run_query("select count(*) from glob('" ~ dataverse_sql_text(root ~ '/model.json') ~ "')").columns[0].values()[0] == 0 -%}
        {{ exceptions.raise_compiler_error("No CDM model: '" ~ root ~ "/model.json' is missing (var dataverse_format cdm "
            ~ "reads a Synapse Link container; var dataverse_path).") }}
    {%- endif -%}
    {%- set changelog = root ~ '/Changelog/changelog.info' -%}
    {%- set in_progress = none -%}
    {%- if run_query("select count(*) from glob('" ~ dataverse_sql_text(changelog) ~ "')").columns[0].values()[0] > 0 -%}
        {%- set in_progress = run_query("select trim(content, ' \t\r\n') from read_text('" ~ dataverse_sql_text(changelog)
            ~ "')").columns[0].values()[0] -%}
    {%- endif -%}
    {%- set files = [root ~ '/model.json'] -%}
    {%- for row in run_query("select file from glob('" ~ dataverse_sql_text(root ~ '/*/model.json') ~ "') order by file").rows -%}
        {%- if row[0].split('/')[-2] != in_progress -%}
            {%- do files.append(row[0]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(files) -}}
{% endmacro %}


{#- Per model.json listing the table: {model_json, columns, files}; none when none lists it. -#}
{% macro dataverse_cdm_groups(table_name) %}
    {%- set root = dataverse_root() -%}
    {%- set model_files = dataverse_cdm_model_files() -%}
    {%- set quoted = [] -%}
    {%- for file in model_files -%}
        {%- do quoted.append("'" ~ dataverse_sql_text(file) ~ "'") -%}
    {%- endfor -%}
    {%- set unreadable = run_query("select filename from read_text([" ~ quoted | join(', ') ~ "]) "
        ~ "where not json_valid(content) or coalesce(json_type(content, '$.entities'), '') <> 'ARRAY' order by filename") -%}
    {%- if unreadable.rows | length > 0 -%}
        {{ exceptions.raise_compiler_error("Cannot read the CDM model " ~ unreadable.columns[0].values() | join(', ')
            ~ ": not JSON with an 'entities' list.") }}
    {%- endif -%}
    {%- set found = {} -%}
    {%- for row in run_query("select filename, (select e.value from json_each(content, '$.entities') as e "
        ~ "where lower(e.value ->> 'name') = lower('" ~ dataverse_sql_text(table_name) ~ "') limit 1) "
        ~ "from read_text([" ~ quoted | join(', ') ~ "])").rows if row[1] is not none -%}
        {%- do found.update({row[0]: fromjson(row[1])}) -%}
    {%- endfor -%}
    {%- if not found -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for entity in found.values() if entity.name not in names -%}
        {%- do names.append(entity.name) -%}
    {%- endfor -%}
    {%- set globs = [] -%}
    {%- for name in names -%}
        {%- for pattern in ['/' ~ name ~ '/**/*.csv', '/*/' ~ name ~ '/**/*.csv'] -%}
            {%- do globs.append("select file from glob('" ~ dataverse_sql_text(root ~ pattern) ~ "')") -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set existing = run_query(globs | join(' union all ')).columns[0].values() -%}
    {#- glob() lists files only: a folder exists when a file lies under it. -#}
    {%- set folders = [] -%}
    {%- for file in existing -%}
        {%- set parts = file.split('/') -%}
        {%- for depth in range(1, parts | length) if (parts[:depth] | join('/')) not in folders -%}
            {%- do folders.append(parts[:depth] | join('/')) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set groups = [] -%}
    {%- for model_json in model_files if model_json in found -%}
        {%- set entity = found[model_json] -%}
        {%- set model_folder = model_json[:-('/model.json' | length)] -%}
        {%- set folder = model_folder ~ '/' ~ entity.name -%}
        {%- if folder not in folders -%}
            {{ exceptions.raise_compiler_error("Dataverse table '" ~ table_name ~ "': " ~ model_json
                ~ " lists it, but its folder " ~ folder ~ " is missing (no .csv file in it).") }}
        {%- endif -%}
        {%- set columns = [] -%}
        {%- for attribute in entity.get('attributes', []) -%}
            {%- do columns.append(attribute.name | lower) -%}
        {%- endfor -%}
        {%- set files = [] -%}
        {%- for partition in entity.get('partitions') or [] -%}
            {%- set path = dataverse_cdm_partition_path(partition.get('location', '') | string, folder) -%}
            {%- if path not in existing -%}
                {{ exceptions.raise_compiler_error("Dataverse table '" ~ table_name ~ "': partition '" ~ partition.get('name')
                    ~ "' listed in " ~ model_json ~ " is missing: " ~ path) }}
            {%- endif -%}
            {%- do files.append(path) -%}
        {%- endfor -%}
        {%- if not entity.get('partitions') and model_folder != root -%}
            {%- for file in existing | sort if file.startswith(folder ~ '/') and file.split('/') | length == (folder.split('/') | length) + 1 -%}
                {%- do files.append(file) -%}
            {%- endfor -%}
        {%- endif -%}
        {%- do groups.append({'model_json': model_json, 'columns': columns, 'files': files}) -%}
    {%- endfor -%}
    {{- return(groups) -}}
{% endmacro %}


{#- The local file of a partition location: its path from the table folder's segment on. -#}
{% macro dataverse_cdm_partition_path(location, folder) %}
    {%- set segments = location.split('?')[0].split('/') | reject('equalto', '') | list -%}
    {%- set table_folder = folder.split('/')[-1] | lower -%}
    {%- set position = [] -%}
    {%- for segment in segments[:-1] -%}
        {%- if segment | lower == table_folder -%}{%- do position.append(loop.index0) -%}{%- endif -%}
    {%- endfor -%}
    {%- if not position -%}
        {{- return(folder ~ '/' ~ segments[-1]) -}}
    {%- endif -%}
    {{- return(folder ~ '/' ~ segments[position[-1] + 1:] | join('/')) -}}
{% endmacro %}
