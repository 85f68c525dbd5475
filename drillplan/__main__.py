import sys

from drillplan.cli import main

sys.exit(main())
