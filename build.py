#!/usr/bin/env python3
"""The command line: `python build.py [build|serve|check|search|new|translated] [options]` (see --help; also the `healthsite` script)."""

from healthsite.cli import main
from healthsite.guard import leave

if __name__ == "__main__":
    leave(main())
