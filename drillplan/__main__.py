import sys

from drillplan.cli.main import main

sys.exit(main())
