from omnichannel_tools.dashboard.cli import main

raise SystemExit(main())
