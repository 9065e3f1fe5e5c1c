{{ dataverse_base(source('dataverse', 'msdyn_ocsession'), 'msdyn_ocsession') }}
