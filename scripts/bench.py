"""`make bench`: build the benchmark corpus with the portal and the documented peer (see vnportal/tools/bench.py)."""

import sys

from vnportal.tools.bench import main

if __name__ == "__main__":
    sys.exit(main())
