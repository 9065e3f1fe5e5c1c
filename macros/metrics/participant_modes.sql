{#- msdyn_sessionparticipant.msdyn_mode of the participant who owns the session. -#}
{% macro primary_participant_mode_code() -%}
    192350002
{%- endmacro %}

{#- msdyn_ocsession.msdyn_state of a closed session. -#}
{% macro closed_session_state_code() -%}
    192350002
{%- endmacro %}

{#- msdyn_sessionparticipant.msdyn_mode of a consulted agent and of a supervisor monitoring the session. -#}
{% macro consult_participant_mode_code() -%}
    192350003
{%- endmacro %}

{% macro monitor_participant_mode_code() -%}
    192350004
{%- endmacro %}
