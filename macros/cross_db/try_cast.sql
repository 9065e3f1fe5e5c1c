{#- A cast that yields NULL instead of failing (dbt.safe_cast is a plain cast on DuckDB and Spark). -#}
{% macro try_cast(expr, data_type) %}
    {{- return(adapter.dispatch('try_cast', 'omnichannel_analytics')(expr, data_type)) -}}
{% endmacro %}

{% macro default__try_cast(expr, data_type) -%}
    try_cast({{ expr }} as {{ data_type }})
{%- endmacro %}

{#-
    PostgreSQL has no try_cast: the value (as text) must look like a number before it is cast,
    so that the cast cannot fail. Whole-number types: NULL for a fraction (never rounded) and
    outside the type's range. double: NULL beyond double precision's range. Exponents of at most
    3 digits (numeric holds them all). Anything else: a plain cast. The parsing rules
    (dataverse_parse_value) validate text before they call this.
-#}
{% macro postgres__try_cast(expr, data_type) -%}
    {%- set text = 'trim(cast(' ~ expr ~ ' as text))' -%}
    {%- set number = "cast(" ~ text ~ " as numeric)" -%}
    {%- set looks_numeric = text ~ " ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,3})?$'" -%}
    {%- set ranges = {
        'smallint': ['-32768', '32767'],
        'integer': ['-2147483648', '2147483647'],
        'int': ['-2147483648', '2147483647'],
        'bigint': ['-9223372036854775808', '9223372036854775807'],
    } -%}
    {%- set kind = data_type | lower -%}
    {%- if kind in ranges -%}
        case
            when {{ looks_numeric }}
                and {{ number }} = trunc({{ number }})
                and {{ number }} between {{ ranges[kind][0] }} and {{ ranges[kind][1] }}
                then cast({{ number }} as {{ data_type }})
        end
    {%- elif kind in ['double', 'double precision', 'float8'] -%}
        case
            when {{ looks_numeric }}
                and abs({{ number }}) <= 1.7976931348623157e308
                and ({{ number }} = 0 or abs({{ number }}) >= 2.2250738585072014e-308)
                then cast({{ text }} as double precision)
        end
    {%- else -%}
        cast({{ expr }} as {{ data_type }})
    {%- endif -%}
{%- endmacro %}
