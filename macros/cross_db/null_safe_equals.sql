{#- a = b where NULL equals NULL. -#}
{% macro null_safe_equals(left, right) -%}
    {{- adapter.dispatch('null_safe_equals', 'omnichannel_analytics')(left, right) -}}
{%- endmacro %}

{% macro default__null_safe_equals(left, right) -%}
    ({{ left }} = {{ right }} or ({{ left }} is null and {{ right }} is null))
{%- endmacro %}

{#-
    PostgreSQL runs a full outer join only on hash- or merge-joinable conditions, which neither
    the form above nor `is not distinct from` is: two plain equalities say the same (the value as
    text, and whether it is NULL).
-#}
{% macro postgres__null_safe_equals(left, right) -%}
    (coalesce(cast({{ left }} as text), '') = coalesce(cast({{ right }} as text), '')
        and ({{ left }} is null) = ({{ right }} is null))
{%- endmacro %}
