{#-
    Per-column parsing of a raw Dataverse row, as the base models call it. raw_columns is what
    dataverse_raw_columns() found in the export (none inside a unit test: every column is then
    text, as in a CSV export). Kinds: guid, string, timestamp, integer, bigint, double, boolean.
-#}

{#- The raw column as exported ({name, type}); none when the export lacks it. -#}
{% macro dataverse_raw_column(raw_columns, name) %}
    {%- if raw_columns is none -%}
        {{- return({'name': name, 'type': dbt.type_string()}) -}}
    {%- endif -%}
    {{- return(raw_columns.get(name)) -}}
{% endmacro %}


{#- One column parsed by its kind; a typed NULL when the export lacks the (optional) column. -#}
{% macro dataverse_parse(raw_columns, name, kind) %}
    {%- set column = dataverse_raw_column(raw_columns, name) -%}
    {%- if column is none -%}
        {{- return('cast(null as ' ~ dataverse_kind_type(kind) ~ ')') -}}
    {%- endif -%}
    {{- return(dataverse_parse_value(adapter.quote(column.name), kind, column.type)) -}}
{% endmacro %}


{#- The primary key, normalised; '' when the raw row has none (parse_guid never yields ''), so it can be a unique_key. -#}
{% macro dataverse_key(raw_columns, name) %}
    {%- set column = dataverse_raw_column(raw_columns, name) -%}
    {%- if column is none and execute -%}
        {{ exceptions.raise_compiler_error("The export lacks the primary-key column '" ~ name ~ "'.") }}
    {%- elif column is none -%}
        {{- return("''") -}}
    {%- endif -%}
    {{- return('coalesce(' ~ parse_guid(adapter.quote(column.name)) ~ ", '')") -}}
{% endmacro %}


{#-
    The names of the columns whose value could not be parsed (it became NULL), comma-separated;
    NULL when none: non-empty text, or a typed value (a fraction in an integer column), that
    breaks its kind's rule (docs/metrics.md#parsing-rules). Text and GUID columns cannot fail.
-#}
{% macro dataverse_unparseable_columns(raw_columns, columns) %}
    {%- set checks = [] -%}
    {%- for name, kind in columns if kind not in ['string', 'guid'] -%}
        {%- set column = dataverse_raw_column(raw_columns, name) -%}
        {%- if column is not none -%}
            {%- set raw = adapter.quote(column.name) -%}
            {%- set present = "nullif(trim(" ~ raw ~ "), '') is not null" if dataverse_is_text_type(column.type)
                else raw ~ " is not null" -%}
            {%- do checks.append(
                "case when " ~ present ~ " and (" ~ dataverse_parse_value(raw, kind, column.type)
                ~ ") is null then '" ~ name ~ "' end") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if checks -%}
        {{- return("nullif(concat_ws(',', " ~ checks | join(', ') ~ "), '')") -}}
    {%- endif -%}
    {{- return('cast(null as ' ~ dbt.type_string() ~ ')') -}}
{% endmacro %}


{#-
    A raw value parsed by its kind, given the column's type in the export. The rule of each kind
    (docs/metrics.md#parsing-rules), the same on every engine and in the pandas reference:
    text trimmed of spaces, '' is NULL; a whole number is digits with an optional sign and an
    optional '.0...' tail, anything else (a fraction, an exponent) is NULL, never rounded; a
    double is a decimal number with an optional exponent; a boolean is true/false/1/0.
-#}
{% macro dataverse_parse_value(raw, kind, source_type) %}
    {%- set is_text = dataverse_is_text_type(source_type) -%}
    {%- if kind == 'guid' -%}
        {{- return(parse_guid(raw)) -}}
    {%- elif kind == 'timestamp' -%}
        {{- return(parse_timestamp_utc(raw, source_type)) -}}
    {%- elif kind == 'boolean' -%}
        {{- return(parse_boolean(raw) if is_text else 'cast(' ~ raw ~ ' as boolean)') -}}
    {%- elif kind == 'string' -%}
        {{- return("nullif(trim(cast(" ~ raw ~ " as " ~ dbt.type_string() ~ ")), '')") -}}
    {%- elif kind in ['integer', 'bigint'] and is_text -%}
        {{- return(parse_whole_number_text(raw, dataverse_kind_type(kind))) -}}
    {%- elif kind in ['integer', 'bigint'] and dataverse_is_fractional_type(source_type) -%}
        {{- return('case when ' ~ raw ~ ' = floor(' ~ raw ~ ') then ' ~ try_cast(raw, dataverse_kind_type(kind)) ~ ' end') -}}
    {%- elif kind == 'double' and is_text -%}
        {{- return(parse_decimal_number_text(raw)) -}}
    {%- else -%}
        {{- return(try_cast(raw, dataverse_kind_type(kind))) -}}
    {%- endif -%}
{% endmacro %}


{#- True for the engines' types of numbers that can hold a fraction. -#}
{% macro dataverse_is_fractional_type(source_type) %}
    {%- set t = source_type | lower -%}
    {{- return(t in ['double', 'float', 'real', 'double precision'] or t.startswith('decimal') or t.startswith('numeric')) -}}
{% endmacro %}


{#- True for the engines' text types (CSV columns, text loaded as-is). -#}
{% macro dataverse_is_text_type(source_type) %}
    {{- return(source_type | lower in ['varchar', 'string', 'text', 'character varying']) -}}
{% endmacro %}


{#- The warehouse type of a column kind. -#}
{% macro dataverse_kind_type(kind) %}
    {%- set types = {
        'guid': dbt.type_string(),
        'string': dbt.type_string(),
        'timestamp': dbt.type_timestamp(),
        'integer': dbt.type_int(),
        'bigint': dbt.type_bigint(),
        'double': 'double',
        'boolean': dbt.type_boolean(),
    } -%}
    {{- return(types[kind]) -}}
{% endmacro %}


{#- Whole-number text: an optional sign, digits, an optional '.' followed by zeros only; else NULL. -#}
{% macro parse_whole_number_text(raw, data_type) -%}
    {%- set text = "nullif(trim(" ~ raw ~ "), '')" -%}
    case
        when {{ matches_pattern(text, '[+-]?[0-9]+([.]0*)?') }}
            then {{ try_cast("split_part(" ~ text ~ ", '.', 1)", data_type) }}
    end
{%- endmacro %}


{#- Decimal-number text: an optional sign, digits with an optional fraction, an optional exponent; else NULL. -#}
{% macro parse_decimal_number_text(raw) -%}
    {%- set text = "nullif(trim(" ~ raw ~ "), '')" -%}
    case
        when {{ matches_pattern(text, '[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?') }}
            then {{ try_cast(text, 'double') }}
    end
{%- endmacro %}


{#- Text booleans: True/False, true/false, 1/0 (any case, blanks trimmed); anything else NULL. -#}
{% macro parse_boolean(raw) -%}
    case lower(trim({{ raw }}))
        when 'true' then true
        when '1' then true
        when 'false' then false
        when '0' then false
    end
{%- endmacro %}
