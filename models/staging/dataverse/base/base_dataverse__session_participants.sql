{{ dataverse_base(
    source('dataverse', 'msdyn_sessionparticipant'),
    'msdyn_sessionparticipant',
    session_reference='msdyn_omnichannelsession',
    sessions_base=ref('base_dataverse__sessions'),
) }}
