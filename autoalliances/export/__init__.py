"""The whole fact base as files: a normalized SQLite database or one JSON document."""
