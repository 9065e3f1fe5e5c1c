{#-
    An optional Dataverse table the export lacks (dataverse_table_availability): the row of that
    table when it is absent. Declared once per optional table, with severity warn, so the warning
    names the table; the marts that read it build empty.
-#}
{% test optional_table_present(model, table_name) %}

select
    table_name,
    dependent_marts,
    'optional Dataverse table {{ table_name }} is absent from the export: its marts are empty' as message
from {{ model }}
where table_name = '{{ table_name }}'
    and not is_present

{% endtest %}
