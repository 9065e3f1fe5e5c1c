{{ dataverse_base(source('dataverse', 'msdyn_ocsessionsentiment'), 'msdyn_ocsessionsentiment') }}
