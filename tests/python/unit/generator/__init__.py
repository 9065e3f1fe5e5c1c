"""Tests of the demo-data generator (omnichannel_tools.generator)."""
