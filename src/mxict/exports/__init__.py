"""The whole dataset in other tools' formats: SQLite/Datasette, XLSX, OC4IDS, Data Package.

One module per format. They all start from the same normalised tables
(`mxict.exports.tables`), so a column means the same thing in every format. Optional
libraries (sqlite-utils, openpyxl, datasette) are imported only inside the functions
that need them; a missing one is a UsageError naming the `export` extra.
"""
