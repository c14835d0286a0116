"""`python -m mxict`: the same as the `mxict` command."""

from mxict.cli import main

main()
