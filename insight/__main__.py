"""`python -m insight`: the command-line interface."""

import sys

from insight.cli import main

sys.exit(main())
