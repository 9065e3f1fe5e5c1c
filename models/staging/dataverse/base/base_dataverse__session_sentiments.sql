{{ config(unique_key='msdyn_ocsessionsentimentid') }}

{{ dataverse_base(source('dataverse', 'msdyn_ocsessionsentiment'), 'msdyn_ocsessionsentiment') }}
