{#- Rows where any of the columns is below 0: one scan for every additive count and sum of a model. -#}
{% test non_negative(model, column_names) %}

select *
from {{ model }}
where
    {%- for column in column_names %}
    {{ 'or ' if not loop.first }}{{ column }} < 0
    {%- endfor %}

{% endtest %}
