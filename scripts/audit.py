"""`make audit`: Lighthouse in mobile mode on the nginx-served site (see vnportal/tools/audit.py)."""

import sys

from vnportal.tools.audit import main

if __name__ == "__main__":
    sys.exit(main())
