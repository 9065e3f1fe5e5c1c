"""``python -m omnichannel_tools.generator``: see omnichannel_tools.generator.cli."""

from omnichannel_tools.generator.cli import main

raise SystemExit(main())
