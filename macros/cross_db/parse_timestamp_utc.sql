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

{#-
    Spark (session time zone UTC): a timestamp is an instant, a timestamp_ntz a UTC wall time.
    Text must look like an ISO-8601 date or date-time (optional 'T' or ' ', seconds, fraction,
    'Z' / ' UTC' / ±hh[[:]mm] suffix) before Spark's cast reads it: Spark alone would also take
    '2025' or a bare time of day (dated today). Seconds left out ('10:00Z') read as ':00', as on
    DuckDB. Spark keeps microseconds: a 7th fractional digit is dropped, as on DuckDB; an offset
    is converted to UTC.
-#}
{% macro spark__parse_timestamp_utc(expr, source_type) -%}
    {%- set t = source_type | lower -%}
    {%- if t.startswith('timestamp') or t == 'date' -%}
        cast({{ expr }} as timestamp)
    {%- else -%}
        {%- set text = 'trim(cast(' ~ expr ~ ' as string))' -%}
        {%- set date_minutes = '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}' -%}
        case
            when {{ text }} rlike
                '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?)?(Z| ?UTC|[+-][0-9]{2}(:?[0-9]{2})?)?$'
                then try_cast(regexp_replace({{ text }}, '^({{ date_minutes }})($|[^:0-9])', '$1:00$2') as timestamp)
        end
    {%- endif -%}
{%- endmacro %}

{#-
    PostgreSQL: a timestamptz is an instant (converted to UTC); a timestamp a UTC wall time.
    Text must look like an ISO-8601 date or date-time (the same pattern as on Spark: PostgreSQL
    alone would also read 'now', 'epoch' or 'January 8'); then engine_try_timestamp_utc (created by
    prepare_engine) parses it in UTC, dropping a 7th fractional digit as DuckDB does, and gives
    NULL where PostgreSQL's input refuses it (a 30 February) instead of failing the build.
-#}
{% macro postgres__parse_timestamp_utc(expr, source_type) -%}
    {%- set t = source_type | lower -%}
    {%- if 'with time zone' in t or t == 'timestamptz' -%}
        cast({{ expr }} at time zone 'UTC' as timestamp)
    {%- elif t.startswith('timestamp') or t == 'date' -%}
        cast({{ expr }} as timestamp)
    {%- else -%}
        {%- set text = 'trim(cast(' ~ expr ~ ' as text))' -%}
        case
            when {{ text }} ~
                '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?)?(Z| ?UTC|[+-][0-9]{2}(:?[0-9]{2})?)?$'
                then {{ target.schema }}.engine_try_timestamp_utc({{ text }})
        end
    {%- endif -%}
{%- endmacro %}
