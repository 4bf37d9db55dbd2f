from kufertui.cli import main

raise SystemExit(main())
