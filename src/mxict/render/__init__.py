"""Rows and records to text for people and programs: the output formats, tables, layouts,
the value chart, validation reports and workbooks. Never imports typer, pydantic or yaml."""
