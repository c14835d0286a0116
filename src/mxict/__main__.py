"""`python -m mxict`: the same as the `mxict` command."""

from mxict.cli.main import main

main()
