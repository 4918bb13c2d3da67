import sys

from shahu.ops.cli import main

sys.exit(main())
