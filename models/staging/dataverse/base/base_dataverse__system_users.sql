{{ config(unique_key='systemuserid') }}

{{ dataverse_base(source('dataverse', 'systemuser'), 'systemuser') }}
