with

aggregated as (

    select * from {{ ref('fct_session_metrics_daily') }}

),

final as (

    select
        session_date,
        queue_id,
        channel_code,
        agent_id,
        sentiment_pulse_sum,
        sentiment_count,
        {{ safe_divide('sentiment_pulse_sum', 'sentiment_count') }} as avg_customer_sentiment_pulse,
        sentiment_zone_very_negative_sessions,
        sentiment_zone_negative_sessions,
        sentiment_zone_slightly_negative_sessions,
        sentiment_zone_neutral_sessions,
        sentiment_zone_slightly_positive_sessions,
        sentiment_zone_positive_sessions,
        sentiment_zone_very_positive_sessions,
        sentiment_zone_other_sessions
    from aggregated

)

select * from final
