import sys

from shahu.cli import main

sys.exit(main())
