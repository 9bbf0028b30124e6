"""``python -m kiwibot.devserver``: see `kiwibot.devserver.cli`."""

import sys

from kiwibot.devserver.cli import main

sys.exit(main())
