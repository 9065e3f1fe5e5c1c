{#- The calendar date of a UTC timestamp in the reporting time zone (var reporting_timezone). -#}
{% macro to_reporting_date(utc_ts) %}
    {{- return(adapter.dispatch('to_reporting_date', 'omnichannel_analytics')(utc_ts, reporting_timezone())) -}}
{% endmacro %}

{% macro default__to_reporting_date(utc_ts, tz) -%}
    to_date(from_utc_timestamp({{ utc_ts }}, '{{ tz }}'))
{%- endmacro %}

{% macro duckdb__to_reporting_date(utc_ts, tz) -%}
    {%- if tz == 'UTC' -%}
        cast({{ utc_ts }} as date)
    {%- else -%}
        cast(timezone('{{ tz }}', timezone('UTC', {{ utc_ts }})) as date)
    {%- endif -%}
{%- endmacro %}


{#- The validated reporting time zone: an IANA name, or the build stops with a clear message. -#}
{% macro reporting_timezone() %}
    {%- set tz = var('reporting_timezone', 'UTC') | string -%}
    {%- if tz not in modules.pytz.all_timezones_set -%}
        {{ exceptions.raise_compiler_error(
            "var('reporting_timezone') = '" ~ tz ~ "' is not an IANA time zone name "
            ~ "(e.g. 'UTC', 'Europe/Paris', 'America/New_York').") }}
    {%- endif -%}
    {{- return(tz) -}}
{% endmacro %}

{% macro postgres__to_reporting_date(utc_ts, tz) -%}
    {%- if tz == 'UTC' -%}
        cast({{ utc_ts }} as date)
    {%- else -%}
        cast(({{ utc_ts }} at time zone 'UTC') at time zone '{{ tz }}' as date)
    {%- endif -%}
{%- endmacro %}
