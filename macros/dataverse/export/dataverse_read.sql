{#-
    The rows of one Dataverse table as the base model reads them (its first CTE:
    select * from dataverse_read(source('dataverse', '<table>'), '<table>')); the load-audit
    reconciliation, source freshness, column discovery and the validation hook read through it too.
    - inside a unit test: the relation unchanged (the fixture);
    - an optional table the export lacks (dataverse_audited_tables): a zero-row relation with
      the source's declared columns (dataverse_empty_table), on every engine;
    - engines without file readers (Spark): the relation, a table of var('dataverse_schema');
    - DuckDB: an expression over the files under var('dataverse_path'), by dataverse_format():
      parquet / csv: read_parquet / read_csv of <table>/*.<format>, unioned by name;
      cdm: the partitions model.json lists (dataverse_cdm_read);
      delta: the files of the current snapshot, through the Delta log (dataverse_delta_read).
-#}
{% macro dataverse_read(relation, table_name) %}
    {%- if model is mapping and model.get('resource_type') == 'unit_test' -%}
        {{- return(relation) -}}
    {%- endif -%}
    {%- if execute and not dataverse_table_is_required(table_name)
        and dataverse_find_columns(relation, table_name) is none -%}
        {{- return(dataverse_empty_table(table_name)) -}}
    {%- endif -%}
    {{- return(adapter.dispatch('dataverse_read', 'omnichannel_analytics')(relation, table_name)) -}}
{% endmacro %}

{% macro default__dataverse_read(relation, table_name) %}
    {{- return(relation) -}}
{% endmacro %}

{% macro duckdb__dataverse_read(relation, table_name) %}
    {%- set expression = dataverse_duckdb_reader(table_name) -%}
    {%- if expression is none -%}
        {{ exceptions.raise_compiler_error(
            "Dataverse table '" ~ table_name ~ "' not found: expected " ~ dataverse_table_location(table_name) ~ ".") }}
    {%- endif -%}
    {{- return(expression) -}}
{% endmacro %}


{#-
    The DuckDB expression that reads a table's rows, or none when the export lacks the table.
    with_file_column: each row also has _source_path, the absolute path of its file (a filter on
    it prunes the files before they are opened; dataverse_read_rows).
-#}
{% macro dataverse_duckdb_reader(table_name, with_file_column=false) %}
    {%- if not execute -%}
        {{- return("(select 1 as not_read_at_parse_time)") -}}
    {%- endif -%}
    {%- set fmt = dataverse_format() -%}
    {%- set folder = dataverse_root() ~ '/' ~ table_name -%}
    {%- set file_column = ", filename = '_source_path'" if with_file_column else "" -%}
    {%- if fmt == 'cdm' -%}
        {{- return(dataverse_cdm_read(table_name, file_column)) -}}
    {%- elif fmt == 'delta' -%}
        {{- return(dataverse_delta_read(table_name, folder, file_column)) -}}
    {%- endif -%}
    {%- set pattern = dataverse_sql_text(folder ~ '/*.' ~ fmt) -%}
    {%- if run_query("select count(*) from glob('" ~ pattern ~ "')").columns[0].values()[0] == 0 -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- if fmt == 'csv' -%}
        {#- The dialect is given, not sniffed: a malformed file (a ragged row, an unterminated quote)
            stops the build naming the file instead of being read as one column of text. -#}
        {{- return("read_csv('" ~ pattern ~ "', union_by_name = true, header = true, all_varchar = true, "
            ~ "delim = ',', quote = '\"', escape = '\"'" ~ file_column ~ ")") -}}
    {%- endif -%}
    {{- return("read_parquet('" ~ pattern ~ "', union_by_name = true" ~ file_column ~ ")") -}}
{% endmacro %}


{#-
    A Delta table (Fabric Link): the Parquet files of its current snapshot, listed from the
    transaction log by dataverse_delta_files() (the dbt-duckdb plugin
    omnichannel_tools.duckdb_plugins.delta_files, deltalake). A folder without _delta_log is not a
    Delta table: the table is missing.
-#}
{% macro dataverse_delta_read(table_name, folder, file_column='') %}
    {#- glob() lists files only: a folder is seen through the files in it. -#}
    {%- if run_query("select count(*) from glob('" ~ dataverse_sql_text(folder ~ '/*') ~ "')").columns[0].values()[0] == 0 -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- if run_query("select count(*) from glob('" ~ dataverse_sql_text(folder ~ "/_delta_log/*") ~ "')").columns[0].values()[0] == 0 -%}
        {{ exceptions.raise_compiler_error("Dataverse table '" ~ table_name ~ "': '" ~ folder
            ~ "' is not a Delta table (no _delta_log folder): with var dataverse_format delta every table is a Delta table.") }}
    {%- endif -%}
    {%- if run_query("select count(*) from duckdb_functions() where function_name = 'dataverse_delta_files'").columns[0].values()[0] == 0 -%}
        {{ exceptions.raise_compiler_error("Reading Delta tables needs the dbt-duckdb plugin "
            ~ "omnichannel_tools.duckdb_plugins.delta_files in the profile's plugins (see profiles.yml).") }}
    {%- endif -%}
    {%- set files = dataverse_delta_files_of(folder) -%}
    {%- if files | length == 0 -%}
        {{ exceptions.raise_compiler_error("Dataverse table '" ~ table_name ~ "': the Delta table in '" ~ folder
            ~ "' has no data file in its current snapshot.") }}
    {%- endif -%}
    {%- set quoted = [] -%}
    {%- for file in files -%}
        {%- do quoted.append("'" ~ dataverse_sql_text(file) ~ "'") -%}
    {%- endfor -%}
    {{- return("read_parquet([" ~ quoted | join(', ') ~ "], union_by_name = true" ~ file_column ~ ")") -}}
{% endmacro %}


{#- The data files of a Delta table's current snapshot (absolute paths), from its log. -#}
{% macro dataverse_delta_files_of(folder) %}
    {{- return(run_query("select unnest(dataverse_delta_files('" ~ dataverse_sql_text(folder) ~ "'))").columns[0].values() | list) -}}
{% endmacro %}
