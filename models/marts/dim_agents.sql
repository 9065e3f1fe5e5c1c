with

system_users as (

    select * from {{ ref('stg_dataverse__system_users') }}

),

final as (

    select
        system_user_id as agent_id,
        full_name as agent_name,
        is_bot,
        bot_application_id
    from system_users

)

select * from final
