{#- One row per grain cell and service-level threshold (10, 20, 30, 40, 60, 120 s). -#}
{%- set thresholds = [10, 20, 30, 40, 60, 120] -%}

with

aggregated as (

    select * from {{ ref('fct_conversation_metrics_daily') }}

),

by_threshold as (

    {% for threshold in thresholds -%}
        select
            conversation_date,
            queue_id,
            channel_code,
            agent_id,
            {{ threshold }} as threshold_seconds,
            answered_within_{{ threshold }}s_conversations as answered_within_threshold_conversations,
            accepted_incoming_conversations
        from aggregated
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        conversation_date,
        queue_id,
        channel_code,
        agent_id,
        cast(threshold_seconds as {{ dbt.type_int() }}) as threshold_seconds,
        answered_within_threshold_conversations,
        accepted_incoming_conversations,
        {{ safe_divide('answered_within_threshold_conversations', 'accepted_incoming_conversations') }} as service_level
    from by_threshold

)

select * from final
