{{ dataverse_base(source('dataverse', 'msdyn_sessionparticipant'), 'msdyn_sessionparticipant') }}
