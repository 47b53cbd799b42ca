"""``python -m audit.fixture_web``: serve the demo market until Ctrl-C."""

import sys

from audit.fixture_web.server import main

sys.exit(main())
