{#-
    on-run-start: what an engine needs before the models run. PostgreSQL only (elsewhere nothing):
    in the target schema (on the connection's search_path, profiles.yml),
    - the type names the project writes on every engine that PostgreSQL lacks: `double` (a domain
      over double precision) and `string` (over text), used by casts, seeds and contracts;
    - engine_try_timestamp_utc(text): ISO-8601 text as a UTC timestamp, NULL when PostgreSQL's
      input refuses it (PostgreSQL has no try_cast); the 7th fractional digit is dropped, as on
      DuckDB, instead of rounded.
-#}
{% macro prepare_engine() %}
    {{- return(adapter.dispatch('prepare_engine', 'omnichannel_analytics')()) -}}
{% endmacro %}

{% macro default__prepare_engine() %}
    {{- return('') -}}
{% endmacro %}

{% macro postgres__prepare_engine() %}
    {%- set schema = adapter.quote(target.schema) -%}
    create schema if not exists {{ schema }};
    do $$ begin
        create domain {{ schema }}.double as double precision;
    exception when duplicate_object then null;
    end $$;
    do $$ begin
        create domain {{ schema }}.string as text;
    exception when duplicate_object then null;
    end $$;
    create or replace function {{ schema }}.engine_try_timestamp_utc(value text) returns timestamp
    language plpgsql immutable set timezone to 'UTC' as $$
    begin
        return cast(regexp_replace(value, '([.][0-9]{6})[0-9]+', '\1') as timestamptz) at time zone 'UTC';
    exception when others then
        return null;
    end
    $$;
{% endmacro %}
