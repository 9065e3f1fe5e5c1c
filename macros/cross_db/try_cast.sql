{#- A cast that yields NULL instead of failing (dbt.safe_cast is a plain cast on DuckDB and Spark). -#}
{% macro try_cast(expr, data_type) %}
    {{- return(adapter.dispatch('try_cast', 'omnichannel_analytics')(expr, data_type)) -}}
{% endmacro %}

{% macro default__try_cast(expr, data_type) -%}
    try_cast({{ expr }} as {{ data_type }})
{%- endmacro %}

{#-
    Spark: a cast to a whole-number type goes through decimal and rounds half away from zero,
    as DuckDB does, so number text written with a fraction ('192350004.0', '1.5', '1e3') reads
    the same on both engines; a plain try_cast would give NULL. Anything else: try_cast.
-#}
{% macro spark__try_cast(expr, data_type) -%}
    {%- if data_type | lower in ['tinyint', 'smallint', 'int', 'integer', 'bigint'] -%}
        try_cast(round(try_cast({{ expr }} as decimal(38, 9))) as {{ data_type }})
    {%- else -%}
        try_cast({{ expr }} as {{ data_type }})
    {%- endif -%}
{%- endmacro %}

{#-
    PostgreSQL has no try_cast: the value (as text) must look like a number first, so that the
    cast cannot fail. Whole-number types go through numeric and round half away from zero, as on
    DuckDB, and are NULL out of the type's range. Exponents are limited to 2 digits for double
    (no overflow), 3 for whole numbers. Anything else: a plain cast.
-#}
{% macro postgres__try_cast(expr, data_type) -%}
    {%- set text = 'trim(cast(' ~ expr ~ ' as text))' -%}
    {%- set number = '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,%s})?$' -%}
    {%- set ranges = {
        'smallint': ['-32768', '32767'],
        'integer': ['-2147483648', '2147483647'],
        'int': ['-2147483648', '2147483647'],
        'bigint': ['-9223372036854775808', '9223372036854775807'],
    } -%}
    {%- set kind = data_type | lower -%}
    {%- if kind in ranges -%}
        case
            when {{ text }} ~ '{{ number | format(3) }}'
                and round(cast({{ text }} as numeric)) between {{ ranges[kind][0] }} and {{ ranges[kind][1] }}
                then cast(round(cast({{ text }} as numeric)) as {{ data_type }})
        end
    {%- elif kind in ['double', 'double precision', 'float8'] -%}
        case when {{ text }} ~ '{{ number | format(2) }}' then cast({{ text }} as double precision) end
    {%- else -%}
        cast({{ expr }} as {{ data_type }})
    {%- endif -%}
{%- endmacro %}
