#!/usr/bin/env python3
"""Build the book in source/ into output/. See `python build.py --help`."""

import sys

from press.cli import main

if __name__ == "__main__":
    sys.exit(main())
