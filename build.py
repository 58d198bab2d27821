#!/usr/bin/env python3
"""Build the site: `python build.py [build|serve|check] [options]` (see --help)."""

import sys

from healthsite.cli import main

if __name__ == "__main__":
    sys.exit(main())
