"""``python -m omnichannel_tools.reference``: see omnichannel_tools.reference.cli."""

from omnichannel_tools.reference.cli import main

raise SystemExit(main())
