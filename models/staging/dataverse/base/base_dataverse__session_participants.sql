{{ config(unique_key='msdyn_sessionparticipantid') }}

{{ dataverse_base(source('dataverse', 'msdyn_sessionparticipant'), 'msdyn_sessionparticipant') }}
