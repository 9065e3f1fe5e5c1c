"""Tests of the pandas reference (omnichannel_tools.reference): expected values derived by hand from
the specs (session-metrics.md, dataverse-export.md) on tiny exports written into tmp_path."""
