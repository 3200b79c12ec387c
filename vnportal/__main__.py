import sys

from vnportal.cli import main

sys.exit(main())
