"""The `mxict` command line: the Typer app, shared options, the output contract, one module
per command group, and the process boundary (`mxict.cli.main:main`).

The modules that declare commands and options do not use `from __future__ import
annotations`: Typer reads their signatures on every run, and string annotations would
be compiled and evaluated each time (a few per cent of a query's start-up).
"""
