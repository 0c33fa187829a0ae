"""``python -m generator``: the same as the ``glossary`` command."""

import sys

from generator.cli import main

sys.exit(main())
