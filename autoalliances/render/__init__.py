"""Turning answers into output: JSON and flat shapes, writers, rich tables and documents, help.

Runs no queries: it prints what the query layer assembled.
"""
