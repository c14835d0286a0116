"""The `mxict` command line: the Typer app, shared options, the output contract, one module
per command group, and the process boundary (`mxict.cli.main:main`)."""
