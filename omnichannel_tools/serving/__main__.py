"""`python -m omnichannel_tools.serving`: publish the last green build (make publish)."""

from omnichannel_tools.serving.cli import main

raise SystemExit(main())
