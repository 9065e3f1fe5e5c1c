{{ dataverse_base(source('dataverse', 'msdyn_ocliveworkitem'), 'msdyn_ocliveworkitem') }}
