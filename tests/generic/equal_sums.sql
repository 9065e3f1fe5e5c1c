{#-
    Integrity: the sum of column over the model equals the sum of compare_expression over
    compare_model (optionally filtered by compare_where). Exact for counts; for doubles the
    difference must stay within tolerance (relative).
-#}
{% test equal_sums(model, column_name, compare_model, compare_expression, compare_where='true', tolerance=0) %}

with

model_total as (

    select cast(coalesce(sum({{ column_name }}), 0) as double) as total
    from {{ model }}

),

compare_total as (

    select cast(coalesce(sum({{ compare_expression }}), 0) as double) as total
    from {{ compare_model }}
    where {{ compare_where }}

)

select
    model_total.total as model_total,
    compare_total.total as compare_total
from model_total
cross join compare_total
where abs(model_total.total - compare_total.total)
    > {{ tolerance }} * greatest(abs(compare_total.total), 1)

{% endtest %}
