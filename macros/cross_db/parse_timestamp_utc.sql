{#-
    A Dataverse timestamp as a UTC timestamp without time zone.
    source_type is the column's type in the export: text (CSV: ISO-8601 with or without a
    'Z' / '+00:00' suffix and up to 7 fractional digits), a timestamp with time zone, or a
    naive timestamp (already UTC). Unparseable text becomes NULL.
-#}
{% macro parse_timestamp_utc(expr, source_type) %}
    {{- return(adapter.dispatch('parse_timestamp_utc', 'omnichannel_analytics')(expr, source_type)) -}}
{% endmacro %}

{% macro duckdb__parse_timestamp_utc(expr, source_type) -%}
    {%- set t = source_type | upper -%}
    {%- if 'WITH TIME ZONE' in t or t == 'TIMESTAMPTZ' -%}
        cast(timezone('UTC', {{ expr }}) as timestamp)
    {%- elif t.startswith('TIMESTAMP') or t == 'DATE' -%}
        cast({{ expr }} as timestamp)
    {%- else -%}
        cast(timezone('UTC', try_cast(trim(cast({{ expr }} as varchar)) as timestamptz)) as timestamp)
    {%- endif -%}
{%- endmacro %}
