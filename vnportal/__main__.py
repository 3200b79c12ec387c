import sys

from vnportal.cli.main import main

sys.exit(main())
