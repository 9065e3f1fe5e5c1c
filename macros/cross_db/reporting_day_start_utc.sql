{#-
    The UTC instant at which a calendar day (a date) begins in the reporting time zone (var
    reporting_timezone): local midnight. A day lasts 23 or 25 hours where the zone switches to
    or from daylight saving time.
-#}
{% macro reporting_day_start_utc(day) %}
    {{- return(adapter.dispatch('reporting_day_start_utc', 'omnichannel_analytics')(day, reporting_timezone())) -}}
{% endmacro %}

{% macro default__reporting_day_start_utc(day, tz) -%}
    to_utc_timestamp(cast({{ day }} as timestamp), '{{ tz }}')
{%- endmacro %}

{% macro duckdb__reporting_day_start_utc(day, tz) -%}
    {%- if tz == 'UTC' -%}
        cast({{ day }} as timestamp)
    {%- else -%}
        timezone('UTC', timezone('{{ tz }}', cast({{ day }} as timestamp)))
    {%- endif -%}
{%- endmacro %}

{% macro postgres__reporting_day_start_utc(day, tz) -%}
    {%- if tz == 'UTC' -%}
        cast({{ day }} as timestamp)
    {%- else -%}
        (cast({{ day }} as timestamp) at time zone '{{ tz }}') at time zone 'UTC'
    {%- endif -%}
{%- endmacro %}
