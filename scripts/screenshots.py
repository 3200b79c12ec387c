"""`make screenshots`: every page kind in every language, 360 and 1280 px, light and dark (vnportal/tools/screenshots.py)."""

import sys

from vnportal.tools.screenshots import main

if __name__ == "__main__":
    sys.exit(main())
