{{ config(unique_key='activityid') }}

{{ dataverse_base(source('dataverse', 'msdyn_ocliveworkitem'), 'msdyn_ocliveworkitem') }}
