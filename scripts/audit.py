"""`make audit`: Lighthouse in mobile mode on the nginx-served site (see vnportal/audit.py)."""

import sys

from vnportal.audit import main

if __name__ == "__main__":
    sys.exit(main())
