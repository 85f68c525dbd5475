"""Entry script of the packaged application (PyInstaller runs this as ``__main__``)."""

import sys

from drillplan.cli.main import main

sys.exit(main())
