{#-
    The Dataverse tables the project loads: the source table, its primary key, the base model
    that holds every raw row, the staging model that holds the current ones, for the
    session's child tables the column that references the session, and whether the table is
    required: a missing required table stops the build; a missing optional one is read as a
    zero-row table (dataverse_empty_table), so every model downstream of it builds empty.
-#}
{% macro dataverse_audited_tables() %}
    {%- set tables = [
        ('msdyn_ocsession', 'activityid', 'sessions', none, true),
        ('msdyn_sessionparticipant', 'msdyn_sessionparticipantid', 'session_participants', 'msdyn_omnichannelsession', true),
        ('msdyn_ocliveworkitem', 'activityid', 'conversations', none, true),
        ('msdyn_ocsessionsentiment', 'msdyn_ocsessionsentimentid', 'session_sentiments', 'msdyn_omnichannelsession', true),
        ('systemuser', 'systemuserid', 'system_users', none, true),
        ('queue', 'queueid', 'queues', none, true),
        ('msdyn_ocsessionparticipantevent', 'msdyn_ocsessionparticipanteventid', 'session_participant_events', 'msdyn_sessionid', false),
        ('msdyn_agentstatushistory', 'msdyn_agentstatushistoryid', 'agent_status_history', none, false),
        ('msdyn_presence', 'msdyn_presenceid', 'presences', none, false),
    ] -%}
    {%- set described = [] -%}
    {%- for name, key, entity, session_reference, required in tables -%}
        {%- do described.append({
            'name': name,
            'key': key,
            'base_model': 'base_dataverse__' ~ entity,
            'staging_model': 'stg_dataverse__' ~ entity,
            'session_reference': session_reference,
            'required': required,
        }) -%}
    {%- endfor -%}
    {{- return(described) -}}
{% endmacro %}


{#- union all of one select per Dataverse table: columns_sql over the table's source ({key}: its primary key). -#}
{% macro dataverse_union_sources(columns_sql) -%}
    {%- for table in dataverse_audited_tables() %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        '{{ table.name }}' as table_name,
        {{ columns_sql | replace('{key}', table.key) }}
    from {{ dataverse_read(source('dataverse', table.name), table.name) }}
    {%- endfor %}
{%- endmacro %}


{#- Whether a table must be in the export (true for a table the list does not know). -#}
{% macro dataverse_table_is_required(table_name) %}
    {%- for table in dataverse_audited_tables() if table.name == table_name -%}
        {{- return(table.required) -}}
    {%- endfor -%}
    {{- return(true) -}}
{% endmacro %}


{#- Whether the export has the table (always true at parse time and inside a unit test). -#}
{% macro dataverse_table_is_present(table_name) %}
    {%- if not execute or (model is mapping and model.get('resource_type') == 'unit_test') -%}
        {{- return(true) -}}
    {%- endif -%}
    {{- return(dataverse_find_columns(dataverse_source_relation(table_name), table_name) is not none) -}}
{% endmacro %}


{#-
    An optional table the export lacks: a relation of zero rows with the columns its source
    declares, each a NULL of the text type (as a CSV export has them), which the base model parses
    like any other export. The same SQL on every engine.
-#}
{% macro dataverse_empty_table(table_name) %}
    {%- set columns = [] -%}
    {%- for column in dataverse_table_spec(table_name).columns -%}
        {%- do columns.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ adapter.quote(column.name)) -%}
    {%- endfor -%}
    {{- return('(select ' ~ columns | join(', ') ~ ' where 1 = 0) as absent_' ~ table_name) -}}
{% endmacro %}


{#- The columns of dataverse_empty_table, as dataverse_find_columns describes a table. -#}
{% macro dataverse_empty_table_columns(table_name) %}
    {%- set present = {} -%}
    {%- for column in dataverse_table_spec(table_name).columns -%}
        {%- do present.update({column.name: {'name': column.name, 'type': dbt.type_string()}}) -%}
    {%- endfor -%}
    {{- return(present) -}}
{% endmacro %}


{#-
    The marts and metric views (fct_, dim_, metric_) that read a table, directly or through other
    models, from the graph: the models that build empty when an optional table is absent.
-#}
{% macro dataverse_table_dependent_marts(table_name) %}
    {%- set source_id = 'source.' ~ project_name ~ '.dataverse.' ~ table_name -%}
    {%- set reached = [source_id] -%}
    {%- set marts = [] -%}
    {#- A breadth-first walk over depends_on; the graph has fewer levels than models. -#}
    {%- for _ in range(graph.nodes | length) -%}
        {%- set added = [] -%}
        {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.unique_id not in reached -%}
            {%- for parent in node.depends_on.nodes if parent in reached and node.unique_id not in added -%}
                {%- do added.append(node.unique_id) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- if not added -%}
            {%- break -%}
        {%- endif -%}
        {%- for unique_id in added -%}
            {%- do reached.append(unique_id) -%}
            {%- set name = graph.nodes[unique_id].name -%}
            {%- if name.startswith('fct_') or name.startswith('dim_') or name.startswith('metric_') -%}
                {%- do marts.append(name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(marts | sort) -}}
{% endmacro %}


{#- One select per table for dataverse_table_availability: table_name, is_required, is_present, dependent_marts. -#}
{% macro dataverse_table_availability_rows() -%}
    {%- for table in dataverse_audited_tables() %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        cast('{{ table.name }}' as {{ dbt.type_string() }}) as table_name,
        {{ 'true' if table.required else 'false' }} as is_required,
        {{ 'true' if dataverse_table_is_present(table.name) else 'false' }} as is_present,
        cast('{{ dataverse_table_dependent_marts(table.name) | join(", ") }}' as {{ dbt.type_string() }}) as dependent_marts
    {%- endfor %}
{%- endmacro %}
