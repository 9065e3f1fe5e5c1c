{#- Number of rows where condition holds, as a bigint (DuckDB's sum of integers is HUGEINT). -#}
{% macro count_where(condition) -%}
    cast(sum(case when {{ condition }} then 1 else 0 end) as bigint)
{%- endmacro %}


{#- Sum of a double column as a double, 0 over an empty set, so the part stays additive. -#}
{% macro sum_double(expr) -%}
    cast(coalesce(sum({{ expr }}), 0) as double)
{%- endmacro %}


{#-
    Sum of a duration in seconds, exact and independent of the order of summation: durations
    carry microsecond precision, so they are summed as whole microseconds (an integer sum),
    then turned back into seconds. 0 over an empty set.
-#}
{% macro sum_seconds(expr) -%}
    cast(coalesce(sum(cast(round({{ expr }} * 1000000) as bigint)), 0) as double) / 1000000.0
{%- endmacro %}
