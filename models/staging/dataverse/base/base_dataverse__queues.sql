{{ dataverse_base(source('dataverse', 'queue'), 'queue') }}
