{#-
    Synapse Link containers (dataverse_format cdm) carry the option-set metadata of the exported
    tables: OptionsetMetadata/OptionsetMetadata.csv and GlobalOptionsetMetadata.csv (headerless), and
    Microsoft.Athena.TrickleFeedService/<table>-EntityMetadata.json. Neither is data. Called by the
    validation hook: a choice code the metadata defines for a column we decode with a glossary seed,
    but which the seed lacks, is reported as a warning with the code and Microsoft's label (English,
    1033, where there is one), so the glossary can be extended; the build goes on (the codes read
    through the seed as unknown). Returns the codes reported. DuckDB reads the files; engines without
    file readers (Spark: the loader's tables) report nothing.
-#}
{% macro dataverse_cdm_choice_report() %}
    {{- return(adapter.dispatch('dataverse_cdm_choice_report', 'omnichannel_analytics')()) -}}
{% endmacro %}

{% macro default__dataverse_cdm_choice_report() %}
    {{- return([]) -}}
{% endmacro %}

{% macro duckdb__dataverse_cdm_choice_report() %}
    {%- set root = dataverse_root() -%}
    {%- set glossaries = [
        ('msdyn_ocsession', 'msdyn_closurereason', 'dataverse_closure_reasons'),
        ('msdyn_ocsession', 'msdyn_channel', 'dataverse_channels'),
        ('msdyn_ocsession', 'msdyn_state', 'dataverse_session_states'),
        ('msdyn_sessionparticipant', 'msdyn_mode', 'dataverse_participant_modes'),
        ('msdyn_ocsessionparticipantevent', 'msdyn_eventtype', 'dataverse_participant_event_types'),
        ('msdyn_ocsessionparticipantevent', 'msdyn_eventreason', 'dataverse_participant_event_reasons'),
    ] -%}
    {%- set local_csv = root ~ '/OptionsetMetadata/OptionsetMetadata.csv' -%}
    {%- set global_csv = root ~ '/OptionsetMetadata/GlobalOptionsetMetadata.csv' -%}
    {%- set entity_json = root ~ '/Microsoft.Athena.TrickleFeedService/*-EntityMetadata.json' -%}
    {%- set present = run_query("select (select count(*) from glob('" ~ dataverse_sql_text(local_csv) ~ "')), "
        ~ "(select count(*) from glob('" ~ dataverse_sql_text(global_csv) ~ "')), "
        ~ "(select count(*) from glob('" ~ dataverse_sql_text(entity_json) ~ "'))").rows[0] -%}
    {%- set parts = [] -%}
    {%- set text = "'VARCHAR'" -%}
    {%- if present[0] > 0 -%}
        {%- do parts.append("select entity, optionset, option, language, label from read_csv('" ~ dataverse_sql_text(local_csv)
            ~ "', header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"', null_padding = true, columns = {"
            ~ "'entity': " ~ text ~ ", 'optionset': " ~ text ~ ", 'option': " ~ text ~ ", 'localized': " ~ text
            ~ ", 'language': " ~ text ~ ", 'label': " ~ text ~ "})") -%}
    {%- endif -%}
    {%- if present[1] > 0 -%}
        {%- do parts.append("select entity, optionset, option, language, label from read_csv('" ~ dataverse_sql_text(global_csv)
            ~ "', header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"', null_padding = true, columns = {"
            ~ "'optionset': " ~ text ~ ", 'option': " ~ text ~ ", 'localized': " ~ text ~ ", 'language': " ~ text
            ~ ", 'label': " ~ text ~ ", 'global_name': " ~ text ~ ", 'entity': " ~ text ~ "})") -%}
    {%- endif -%}
    {%- if present[2] > 0 -%}
        {%- for key in ['OptionSetMetadata', 'GlobalOptionSetMetadata'] -%}
            {%- do parts.append("select item.value ->> 'EntityName' as entity, item.value ->> 'OptionSetName' as optionset, "
                ~ "item.value ->> 'Option' as option, item.value ->> 'LocalizedLabelLanguageCode' as language, "
                ~ "item.value ->> 'LocalizedLabel' as label from read_text('" ~ dataverse_sql_text(entity_json) ~ "') as document, "
                ~ "json_each(document.content, '$." ~ key ~ "') as item where json_valid(document.content)") -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if not parts -%}
        {{- return([]) -}}
    {%- endif -%}
    {%- set seeds = [] -%}
    {%- for entity, column, seed in glossaries -%}
        {%- set node = graph.nodes.get('seed.' ~ project_name ~ '.' ~ seed) -%}
        {%- if node is not none -%}
            {%- do seeds.append("select '" ~ entity ~ "' as entity, '" ~ column ~ "' as optionset, '" ~ seed
                ~ "' as seed, cast(code as varchar) as code from read_csv('" ~ dataverse_sql_text(node.original_file_path)
                ~ "', header = true, all_varchar = true)") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set report = "with metadata as (" ~ parts | join(' union all ') ~ "), "
        ~ "glossary as (" ~ seeds | join(' union all ') ~ "), "
        ~ "decoded as (select distinct entity, optionset, seed from glossary), "
        ~ "unknown as (select m.entity, m.optionset, d.seed, trim(m.option) as code, "
        ~ "coalesce(min(m.label) filter (where trim(m.language) = '1033'), min(m.label)) as label "
        ~ "from metadata as m inner join decoded as d on lower(m.entity) = d.entity and lower(m.optionset) = d.optionset "
        ~ "where not exists (select 1 from glossary as g where g.entity = d.entity and g.optionset = d.optionset "
        ~ "and trim(g.code) = trim(m.option)) group by all) "
        ~ "select entity, optionset, seed, code, label from unknown order by all" -%}
    {%- set found = [] -%}
    {%- for row in run_query(report).rows -%}
        {%- do found.append(row[0] ~ "." ~ row[1] ~ " " ~ row[3] ~ " '" ~ row[4] ~ "' (seed " ~ row[2] ~ ")") -%}
    {%- endfor -%}
    {%- if found -%}
        {%- do exceptions.warn("Dataverse export: choice codes in the export's option-set metadata that the glossary seeds lack: "
            ~ found | join(', ') ~ ". They read as unknown codes; add them to the seeds.") -%}
    {%- endif -%}
    {{- return(found) -}}
{% endmacro %}
