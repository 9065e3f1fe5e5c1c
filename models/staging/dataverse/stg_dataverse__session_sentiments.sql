with

source as (

    {{ dataverse_row_states('msdyn_ocsessionsentiment', state='current') }}

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
