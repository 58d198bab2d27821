#!/usr/bin/env python3
"""The command line: `python build.py [build|serve|check|search|new|translated] [options]` (see --help; also the `healthsite` script)."""

from healthsite.commands.cli import main
from healthsite.commands.guard import leave

if __name__ == "__main__":
    leave(main())
