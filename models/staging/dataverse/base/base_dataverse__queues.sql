{{ config(unique_key='queueid') }}

{{ dataverse_base(source('dataverse', 'queue'), 'queue') }}
