"""Python tools of the Omnichannel session analytics project (demo-data generator)."""
