{#- num / den as a double; NULL when den is 0 or NULL (never infinity, never an error). -#}
{% macro safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as double) / nullif({{ denominator }}, 0)
{%- endmacro %}
