{#- A GUID as the marts compare it: lower case, no braces, no surrounding blanks; '' is NULL. -#}
{% macro parse_guid(expr) %}
    {{- return(adapter.dispatch('parse_guid', 'omnichannel_analytics')(expr)) -}}
{% endmacro %}

{% macro default__parse_guid(expr) -%}
    nullif(lower(trim(replace(replace(cast({{ expr }} as {{ dbt.type_string() }}), '{', ''), '}', ''))), '')
{%- endmacro %}


{#- True when a normalised GUID has the canonical 8-4-4-4-12 hex shape. -#}
{% macro is_canonical_guid(expr) %}
    {{- return(adapter.dispatch('is_canonical_guid', 'omnichannel_analytics')(expr)) -}}
{% endmacro %}

{% macro default__is_canonical_guid(expr) -%}
    coalesce({{ expr }} rlike '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', false)
{%- endmacro %}

{% macro duckdb__is_canonical_guid(expr) -%}
    coalesce(regexp_full_match({{ expr }}, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'), false)
{%- endmacro %}

{#- Spark: rlike's '$' also matches before a final line break; the length pins the 36 characters. -#}
{% macro spark__is_canonical_guid(expr) -%}
    coalesce(
        length({{ expr }}) = 36
        and {{ expr }} rlike '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
        false
    )
{%- endmacro %}

{#- PostgreSQL: '~' is a POSIX regular expression match; its '$' matches only at the very end. -#}
{% macro postgres__is_canonical_guid(expr) -%}
    coalesce({{ expr }} ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', false)
{%- endmacro %}
