"""The Streamlit dashboard over the metric views and dims.

Modules by job: ``source`` (where the data is and how it is opened: DuckDB read-only, or
Postgres), ``filters`` (the user's selection as a SQL filter), ``queries`` (the SQL of every
panel, against metric views and dims only), ``formatting`` (figures as a contact-center lead
reads them), ``app`` (the Streamlit page), ``cli`` (``make dashboard``), ``timing`` (measures
the queries of one interaction).
"""
