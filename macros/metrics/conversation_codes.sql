{#- Channel codes (msdyn_channel) of voice: Voice call and Voice. Handle time is talk + hold + wrap-up on them. -#}
{% macro voice_channel_codes() -%}
    192440000, 192370000
{%- endmacro %}

{#- msdyn_ocsessionparticipantevent.msdyn_eventtype of a Hold event. -#}
{% macro hold_event_type_code() -%}
    192350001
{%- endmacro %}

{#- msdyn_ocsessionparticipantevent.msdyn_eventreason "Session transfer in transit": excluded from hold time. -#}
{% macro transfer_in_transit_event_reason_code() -%}
    192350001
{%- endmacro %}
