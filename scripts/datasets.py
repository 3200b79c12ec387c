"""`make datasets`: rebuild the derived dataset sources from the original documents in ../shared
(the appendix of Resolution 47/NQ-CP, the World Bank series); see vnportal/data/sources.py."""

import sys

from vnportal.cli.main import main
from vnportal.data.sources import BUILDERS

if __name__ == "__main__":
    sys.exit(main(["dataset", *BUILDERS, *sys.argv[1:]]))
