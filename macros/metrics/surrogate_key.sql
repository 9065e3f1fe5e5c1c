{#- A hash of several columns that tells NULL apart from any value: the key of a composite grain. -#}
{% macro surrogate_key(columns) -%}
    md5(concat_ws('|'
        {%- for column in columns %},
        coalesce(cast({{ column }} as {{ dbt.type_string() }}), '<null>')
        {%- endfor %}
    ))
{%- endmacro %}
