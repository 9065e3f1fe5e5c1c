{{ dataverse_base(
    source('dataverse', 'msdyn_ocsessionsentiment'),
    'msdyn_ocsessionsentiment',
    session_reference='msdyn_omnichannelsession',
    sessions_base=ref('base_dataverse__sessions'),
) }}
