{#-
    True when the whole of a text matches a regular expression (no backslashes in the pattern:
    write [.] rather than an escaped dot, so it reads the same in every engine's string literals);
    NULL when the text is NULL.
-#}
{% macro matches_pattern(expr, pattern) %}
    {{- return(adapter.dispatch('matches_pattern', 'omnichannel_analytics')(expr, pattern)) -}}
{% endmacro %}

{% macro default__matches_pattern(expr, pattern) -%}
    ({{ expr }} ~ '^(?:{{ pattern }})$')
{%- endmacro %}

{% macro duckdb__matches_pattern(expr, pattern) -%}
    regexp_full_match({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{#- Spark: Java's '$' also matches before a final line break, so the match must equal the whole text. -#}
{% macro spark__matches_pattern(expr, pattern) -%}
    (regexp_extract({{ expr }}, '^(?:{{ pattern }})$', 0) = {{ expr }} and length({{ expr }}) > 0)
{%- endmacro %}
