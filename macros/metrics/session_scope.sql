{#-
    True for a session in scope of the metrics: Microsoft excludes the Entity Records channel
    (192350000) from every Omnichannel metric; a session with no channel stays in scope.
    var('exclude_entity_records', true) switches the filter.
-#}
{% macro is_in_scope_session(channel_code) -%}
    {%- if var('exclude_entity_records', true) -%}
        ({{ channel_code }} is null or {{ channel_code }} <> {{ entity_records_channel_code() }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{% macro entity_records_channel_code() -%}
    192350000
{%- endmacro %}
