{#-
    Current session sentiment rows. A row whose session is not a current session is an orphan:
    not staged, and counted as quarantined by the load audit.
-#}
with

sentiments as (

    select * from {{ ref('base_dataverse__session_sentiments') }}
    where _load_state = 'current'

),

current_sessions as (

    select activityid as session_id
    from {{ ref('base_dataverse__sessions') }}
    where _load_state = 'current'

),

source as (

    select sentiments.*
    from sentiments
    inner join current_sessions
        on sentiments.msdyn_omnichannelsession = current_sessions.session_id

),

renamed as (

    select
        msdyn_ocsessionsentimentid as session_sentiment_id,
        msdyn_omnichannelsession as session_id,
        msdyn_sentimentpulse as sentiment_pulse,
        msdyn_sentimentzone as sentiment_zone,
        createdon as created_at,
        versionnumber as version_number,
        sinkmodifiedon as sink_modified_at
    from source

)

select * from renamed
