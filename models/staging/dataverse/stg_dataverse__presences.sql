{#-
    Current presences, each with the base status it maps to (custom presences included).
    Optional table: empty when the export lacks it (docs/metrics.md#optional-tables).
-#}
with

source as (

    select * from {{ ref('base_dataverse__presences') }}
    where _load_state = 'current'

),

renamed as (

    select
        msdyn_presenceid as presence_id,
        msdyn_name as presence_name,
        msdyn_basepresencestatus as base_presence_status_code,
        versionnumber as version_number,
        sinkmodifiedon as sink_modified_at
    from source

)

select * from renamed
