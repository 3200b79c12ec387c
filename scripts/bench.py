"""`make bench`: build the benchmark corpus with the portal and the documented peer (see vnportal/bench.py)."""

import sys

from vnportal.bench import main

if __name__ == "__main__":
    sys.exit(main())
