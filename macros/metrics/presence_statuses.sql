{#- msdyn_presence.msdyn_basepresencestatus codes (seed dataverse_presence_statuses). -#}
{% macro presence_status_code(status) -%}
    {%- set codes = {'available': 192360000, 'busy': 192360001, 'busy_dnd': 192360002, 'away': 192360003, 'offline': 192360004} -%}
    {{- codes[status] -}}
{%- endmacro %}

{#- The summed duration_seconds of the intervals in one base presence status (sum_seconds). -#}
{% macro seconds_in_presence_status(status) -%}
    {{ sum_seconds('case when base_presence_status_code = ' ~ presence_status_code(status) ~ ' then duration_seconds end') }}
{%- endmacro %}
