"""The data model: closed lists, dates with precision, the typed records and what refers to what.

The bottom layer: plain Python, imported by every other stage.
"""
