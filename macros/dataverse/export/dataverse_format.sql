{#-
    The export's format: var('dataverse_format') = auto (default), parquet, csv, cdm or delta.
    dataverse_format() is the format the build reads (auto resolved); dataverse_format_choice()
    also says why. On engines without file readers the tables are read from
    var('dataverse_schema') and the format only names what the loader read.
-#}
{% macro dataverse_format_var() %}
    {%- set fmt = var('dataverse_format') | string | lower -%}
    {%- if fmt not in ['auto', 'parquet', 'csv', 'cdm', 'delta'] -%}
        {{ exceptions.raise_compiler_error(
            "var('dataverse_format') = '" ~ var('dataverse_format')
            ~ "' is not supported: use 'auto', 'parquet', 'csv', 'cdm' or 'delta'.") }}
    {%- endif -%}
    {{- return(fmt) -}}
{% endmacro %}


{% macro dataverse_format() %}
    {{- return(dataverse_format_choice().format) -}}
{% endmacro %}


{#- {format, reason}: the format read and why. -#}
{% macro dataverse_format_choice() %}
    {{- return(adapter.dispatch('dataverse_format_choice', 'omnichannel_analytics')()) -}}
{% endmacro %}

{% macro default__dataverse_format_choice() %}
    {{- return({'format': dataverse_format_var(), 'reason': "tables in schema '" ~ var('dataverse_schema') ~ "'"}) -}}
{% endmacro %}

{% macro duckdb__dataverse_format_choice() %}
    {%- set fmt = dataverse_format_var() -%}
    {%- if fmt != 'auto' -%}
        {{- return({'format': fmt, 'reason': "var dataverse_format is '" ~ fmt ~ "'"}) -}}
    {%- endif -%}
    {%- if not execute -%}
        {{- return({'format': 'parquet', 'reason': 'not detected at parse time'}) -}}
    {%- endif -%}
    {{- return(dataverse_detect_format()) -}}
{% endmacro %}


{#-
    dataverse_format auto, from the files under var('dataverse_path') (the same rules as
    omnichannel_tools.lake.detect): a model.json at the root is cdm (a Synapse Link container); other
    marks of a container (incremental folders' model.json, the changelog) without it stop the build;
    else a _delta_log folder in each table folder found is delta (Fabric Link's tables); else the
    *.parquet or *.csv files of the table folders decide. Only the folders of the tables the
    project reads count. A mixed layout, or no table folder at all, stops the build naming what
    was found. (DuckDB's glob() lists files only: a folder is seen through the files in it.)
-#}
{% macro dataverse_detect_format() %}
    {%- set root = dataverse_root() -%}
    {%- set checks = ["(select count(*) from glob('" ~ dataverse_sql_text(root ~ "/model.json") ~ "')) as model_json"] -%}
    {#- What else marks a Synapse Link container: incremental folders' model.json, the changelog, the metadata. -#}
    {%- set synapse_marks = ['*/model.json', 'Changelog/changelog.info', 'Microsoft.Athena.TrickleFeedService/*'] -%}
    {%- for pattern in synapse_marks -%}
        {%- do checks.append("(select count(*) from glob('" ~ dataverse_sql_text(root ~ "/" ~ pattern) ~ "')) as mark_" ~ loop.index) -%}
    {%- endfor -%}
    {%- set tables = dataverse_audited_tables() | map(attribute='name') | list -%}
    {%- for table in tables -%}
        {%- for kind, pattern in [('delta', '_delta_log/*'), ('parquet', '*.parquet'), ('csv', '*.csv')] -%}
            {%- do checks.append("(select count(*) from glob('" ~ dataverse_sql_text(root ~ "/" ~ table ~ "/" ~ pattern)
                ~ "')) as " ~ kind ~ "_" ~ loop.index ~ "_" ~ table) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set counts = run_query('select ' ~ checks | join(', ')).rows[0] -%}
    {%- set kinds = {} -%}
    {%- for table in tables -%}
        {%- set base = 1 + synapse_marks | length + 3 * loop.index0 -%}
        {%- if counts[base] > 0 -%}
            {%- do kinds.update({table: ['delta']}) -%}
        {%- else -%}
            {%- set found = [] -%}
            {%- if counts[base + 1] > 0 %}{% do found.append('parquet') %}{% endif -%}
            {%- if counts[base + 2] > 0 %}{% do found.append('csv') %}{% endif -%}
            {%- if found %}{% do kinds.update({table: found}) %}{% endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set described = [] -%}
    {%- for table in kinds | sort -%}
        {%- do described.append(table ~ ': ' ~ kinds[table] | join('+')) -%}
    {%- endfor -%}
    {%- set found_text = described | join(', ') if described else 'none' -%}
    {%- set formats = [] -%}
    {%- for table in kinds -%}
        {%- for kind in kinds[table] if kind not in formats -%}
            {%- do formats.append(kind) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if counts[0] > 0 -%}
        {%- if 'delta' in formats -%}
            {{ exceptions.raise_compiler_error("dataverse_format auto: mixed layout in '" ~ root
                ~ "': a model.json at the root and Delta tables (" ~ found_text ~ ").") }}
        {%- endif -%}
        {{- return({'format': 'cdm', 'reason': root ~ "/model.json exists (a Synapse Link CDM folder)"}) -}}
    {%- endif -%}
    {%- set marks = [] -%}
    {%- for pattern in synapse_marks -%}
        {%- if counts[loop.index] > 0 %}{% do marks.append(pattern) %}{% endif -%}
    {%- endfor -%}
    {%- if marks -%}
        {{ exceptions.raise_compiler_error("dataverse_format auto: '" ~ root ~ "' looks like a Synapse Link container ("
            ~ marks | join(', ') ~ " found), but its root model.json is missing or not a file: without it the "
            ~ "headerless CSV files cannot be read.") }}
    {%- endif -%}
    {%- if not kinds -%}
        {%- set entries = [] -%}
        {%- set listing = "select distinct split_part(substr(file, " ~ (root | length + 2) ~ "), '/', 1) as entry from glob(['"
            ~ dataverse_sql_text(root ~ '/*') ~ "', '" ~ dataverse_sql_text(root ~ '/*/*') ~ "']) order by entry limit 12" -%}
        {%- for row in run_query(listing).rows -%}
            {%- do entries.append(row[0]) -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error("dataverse_format auto: unknown layout in '" ~ root
            ~ "' (var dataverse_path): no model.json and no folder of the tables read (" ~ tables | join(', ')
            ~ ") holding a _delta_log, *.parquet or *.csv files; found: " ~ (entries | join(', ') or 'nothing') ~ ".") }}
    {%- endif -%}
    {%- if formats | length > 1 -%}
        {{ exceptions.raise_compiler_error("dataverse_format auto: mixed layout in '" ~ root
            ~ "': the table folders hold " ~ found_text ~ ".") }}
    {%- endif -%}
    {%- if formats[0] == 'delta' -%}
        {{- return({'format': 'delta', 'reason': 'each of the ' ~ kinds | length
            ~ ' table folders found has a _delta_log (Delta tables)'}) -}}
    {%- endif -%}
    {{- return({'format': formats[0], 'reason': 'the ' ~ kinds | length ~ ' table folders found hold *.'
        ~ formats[0] ~ ' files and no _delta_log'}) -}}
{% endmacro %}


{#- The export root (var dataverse_path) without a trailing slash. -#}
{% macro dataverse_root() %}
    {%- set root = var('dataverse_path') | string -%}
    {{- return(root[:-1] if root | length > 1 and root.endswith('/') else root) -}}
{% endmacro %}


{#- Text inside a single-quoted SQL literal. -#}
{% macro dataverse_sql_text(text) %}
    {{- return(text | string | replace("'", "''")) -}}
{% endmacro %}
