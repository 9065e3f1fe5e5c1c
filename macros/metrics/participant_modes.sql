{#- msdyn_sessionparticipant.msdyn_mode of the participant who owns the session. -#}
{% macro primary_participant_mode_code() -%}
    192350002
{%- endmacro %}

{#- msdyn_ocsession.msdyn_state of a closed session. -#}
{% macro closed_session_state_code() -%}
    192350002
{%- endmacro %}
