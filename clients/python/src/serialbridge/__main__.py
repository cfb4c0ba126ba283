"""`python -m serialbridge tail|log ...`."""

import sys

from .cli import main

sys.exit(main())
