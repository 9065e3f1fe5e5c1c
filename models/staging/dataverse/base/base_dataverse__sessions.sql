{{ config(unique_key='activityid') }}

{{ dataverse_base(source('dataverse', 'msdyn_ocsession'), 'msdyn_ocsession') }}
