{{ dataverse_base(source('dataverse', 'systemuser'), 'systemuser') }}
