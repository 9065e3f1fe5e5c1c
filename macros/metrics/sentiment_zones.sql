{#-
    The sentiment zones of Omnichannel sentiment analysis: the column suffix of each zone's
    session count and the zone labels (compared case-insensitively) it counts.
-#}
{% macro sentiment_zones() %}
    {{- return([
        {'column': 'very_negative', 'label': 'very negative'},
        {'column': 'negative', 'label': 'negative'},
        {'column': 'slightly_negative', 'label': 'slightly negative'},
        {'column': 'neutral', 'label': 'neutral'},
        {'column': 'slightly_positive', 'label': 'slightly positive'},
        {'column': 'positive', 'label': 'positive'},
        {'column': 'very_positive', 'label': 'very positive'},
    ]) -}}
{% endmacro %}


{#- One session count per known sentiment zone, and one for any other zone label. -#}
{% macro sentiment_zone_counts(zone_column) -%}
    {%- set normalised = 'lower(trim(' ~ zone_column ~ '))' -%}
    {%- for zone in sentiment_zones() %}
    {{ count_where(normalised ~ " = '" ~ zone.label ~ "'") }} as sentiment_zone_{{ zone.column }}_sessions,
    {%- endfor %}
    {{ count_where(
        zone_column ~ ' is not null and ' ~ normalised ~ " not in ('"
        ~ sentiment_zones() | map(attribute='label') | join("', '") ~ "')"
    ) }} as sentiment_zone_other_sessions
{%- endmacro %}
