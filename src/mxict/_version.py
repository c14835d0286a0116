"""The version of mxict, alone, so that low layers never import the package root."""

__version__ = "0.1.0"
