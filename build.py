#!/usr/bin/env python3
"""The command line: `python build.py [build|serve|check|search|new|translated] [options]` (see --help; also the `healthsite` script)."""

import sys

from healthsite.cli import main

if __name__ == "__main__":
    sys.exit(main())
