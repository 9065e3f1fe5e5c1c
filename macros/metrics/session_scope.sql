{#-
    True for a session in scope of the metrics, from its staged row (stg_dataverse__sessions
    columns): docs/metrics.md#scope.
    - Entity Records: Microsoft excludes the channel 192350000 from every Omnichannel metric; a
      session with no channel stays in scope. var('exclude_entity_records', true).
    - Microsoft's "SMS filter" of its historical reports keeps only sessions without a channel
      instance (msdyn_channelinstanceid is NULL). var('exclude_channel_instance_sessions', false).
-#}
{% macro is_in_scope_session(channel_code='channel_code', channel_instance_id='channel_instance_id') -%}
    {%- set conditions = [] -%}
    {%- if var('exclude_entity_records', true) -%}
        {%- do conditions.append(
            '(' ~ channel_code ~ ' is null or ' ~ channel_code ~ ' <> ' ~ entity_records_channel_code() ~ ')') -%}
    {%- endif -%}
    {%- if var('exclude_channel_instance_sessions', false) -%}
        {%- do conditions.append(channel_instance_id ~ ' is null') -%}
    {%- endif -%}
    {{- '(' ~ conditions | join(' and ') ~ ')' if conditions else 'true' -}}
{%- endmacro %}

{% macro entity_records_channel_code() -%}
    192350000
{%- endmacro %}
