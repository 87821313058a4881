"""`python -m evoforge.cli`: the same as the `evoforge` command."""
import sys

from evoforge.cli import main

sys.exit(main())
