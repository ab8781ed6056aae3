"""The package version, in a module of its own so that any module can read it cheaply."""

__version__ = "1.0.0"
