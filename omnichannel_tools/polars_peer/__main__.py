"""``python -m omnichannel_tools.polars_peer``: see omnichannel_tools.polars_peer.cli."""

from omnichannel_tools.polars_peer.cli import main

raise SystemExit(main())
