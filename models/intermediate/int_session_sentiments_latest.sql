with

sentiments as (

    select * from {{ ref('stg_dataverse__session_sentiments') }}

),

ranked as (

    select
        session_id,
        session_sentiment_id,
        sentiment_pulse,
        sentiment_zone,
        created_at,
        row_number() over (
            partition by session_id
            order by
                created_at desc nulls last,
                session_sentiment_id desc
        ) as recency_rank
    from sentiments

),

latest as (

    select
        session_id,
        session_sentiment_id as latest_session_sentiment_id,
        sentiment_pulse as customer_sentiment_pulse,
        sentiment_zone as customer_sentiment_zone,
        created_at as sentiment_created_at
    from ranked
    where recency_rank = 1

)

select * from latest
