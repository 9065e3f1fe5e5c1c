{#-
    A Dataverse timestamp as a UTC timestamp without time zone.
    source_type is the column's type in the export: text (CSV: ISO-8601 with or without a
    'Z' / '+00:00' suffix and up to 7 fractional digits, or Synapse Link's US form of its sink
    columns, see us_timestamp_parts), a timestamp with time zone, or a naive timestamp (already
    UTC). Unparseable text becomes NULL.
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
        {%- set text = 'trim(cast(' ~ expr ~ ' as varchar))' -%}
        case
            when {{ text }} like '%/%' then {{ us_timestamp(text) }}
            else cast(timezone('UTC', try_cast({{ text }} as timestamptz)) as timestamp)
        end
    {%- endif -%}
{%- endmacro %}

{#-
    Spark (session time zone UTC): a timestamp is an instant, a timestamp_ntz a UTC wall time.
    Text must look like an ISO-8601 date or date-time (optional 'T' or ' ', seconds, fraction,
    'Z' / ' UTC' / ±hh[[:]mm] suffix) before Spark's cast reads it: Spark alone would also take
    '2025' or a bare time of day (dated today). Seconds left out ('10:00Z') read as ':00', as on
    DuckDB. Spark keeps microseconds: a 7th fractional digit is dropped, as on DuckDB; an offset
    is converted to UTC. The US form of Synapse Link's sink columns: us_timestamp.
-#}
{% macro spark__parse_timestamp_utc(expr, source_type) -%}
    {%- set t = source_type | lower -%}
    {%- if t.startswith('timestamp') or t == 'date' -%}
        cast({{ expr }} as timestamp)
    {%- else -%}
        {%- set text = 'trim(cast(' ~ expr ~ ' as string))' -%}
        {%- set date_minutes = '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}' -%}
        case
            when {{ text }} like '%/%' then {{ us_timestamp(text) }}
            when {{ text }} rlike
                '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?)?(Z| ?UTC|[+-][0-9]{2}(:?[0-9]{2})?)?$'
                then try_cast(regexp_replace({{ text }}, '^({{ date_minutes }})($|[^:0-9])', '$1:00$2') as timestamp)
        end
    {%- endif -%}
{%- endmacro %}


{#-
    Synapse Link writes its sink columns (SinkCreatedOn, SinkModifiedOn) as M/d/yyyy h:mm:ss tt
    in UTC ('6/28/2021 4:34:35 PM'); its documented format string reads H:mm:ss tt, and files
    with a 24-hour hour beside the designator exist ('1/1/2020 0:00:00 PM'). Accepted: month, day
    and hour of one or two digits, a four-digit year, two-digit minutes and seconds, one space,
    AM or PM in any case. Hours 1-11 are 12-hour (PM adds 12), 12 AM is midnight, 12 PM noon,
    and 0 and 13-23 are read as written whatever the designator. Anything else, or a date or
    time that does not exist, is NULL. The same rule in the pandas reference (parsing.py).
    text is trimmed text; the result is a UTC timestamp without time zone.
-#}
{% macro us_timestamp(text) %}
    {{- return(adapter.dispatch('us_timestamp', 'omnichannel_analytics')(text)) -}}
{% endmacro %}

{#- DuckDB and Spark: regexp_extract gives '' for each group of a text that does not match. -#}
{% macro default__us_timestamp(text) -%}
    {%- set pattern = '^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4}) ([0-9]{1,2}):([0-9]{2}):([0-9]{2}) ([AaPp][Mm])$' -%}
    {%- set part = {} -%}
    {%- for name in ['month', 'day', 'year', 'hour', 'minute', 'second', 'designator'] -%}
        {%- do part.update({name: "regexp_extract(" ~ text ~ ", '" ~ pattern ~ "', " ~ loop.index ~ ")"}) -%}
    {%- endfor -%}
    {#- Text that does not match extracts '' everywhere: the hour is NULL, so is the result. -#}
    {%- set hour = try_cast(part.hour, dbt.type_int()) -%}
    {{ try_cast(
        part.year ~ " || '-' || lpad(" ~ part.month ~ ", 2, '0') || '-' || lpad(" ~ part.day ~ ", 2, '0') || ' ' || "
        ~ "lpad(cast(case"
        ~ " when upper(" ~ part.designator ~ ") = 'PM' and " ~ hour ~ " between 1 and 11 then " ~ hour ~ " + 12"
        ~ " when upper(" ~ part.designator ~ ") = 'AM' and " ~ hour ~ " = 12 then 0"
        ~ " else " ~ hour ~ " end as " ~ dbt.type_string() ~ "), 2, '0')"
        ~ " || ':' || " ~ part.minute ~ " || ':' || " ~ part.second,
        dbt.type_timestamp()) }}
{%- endmacro %}

{#- PostgreSQL: regexp_match gives NULL for a text that does not match; engine_try_timestamp_utc
    gives NULL for a date or time that does not exist. -#}
{% macro postgres__us_timestamp(text) -%}
    {%- set match = "(regexp_match(" ~ text ~ ", '^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4}) ([0-9]{1,2}):([0-9]{2}):([0-9]{2}) ([AaPp][Mm])$'))" -%}
    {%- set hour = "cast(" ~ match ~ "[4] as integer)" -%}
    {{ target.schema }}.engine_try_timestamp_utc(
        {{ match }}[3] || '-' || lpad({{ match }}[1], 2, '0') || '-' || lpad({{ match }}[2], 2, '0') || ' '
        || lpad(cast(case
            when upper({{ match }}[7]) = 'PM' and {{ hour }} between 1 and 11 then {{ hour }} + 12
            when upper({{ match }}[7]) = 'AM' and {{ hour }} = 12 then 0
            else {{ hour }}
        end as text), 2, '0')
        || ':' || {{ match }}[5] || ':' || {{ match }}[6]
    )
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
            when {{ text }} like '%/%' then {{ us_timestamp(text) }}
            when {{ text }} ~
                '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?)?(Z| ?UTC|[+-][0-9]{2}(:?[0-9]{2})?)?$'
                then {{ target.schema }}.engine_try_timestamp_utc({{ text }})
        end
    {%- endif -%}
{%- endmacro %}
