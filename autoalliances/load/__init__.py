"""The cold path: find the fact files, parse their YAML safely, validate every record.

Run only when the cache has to be (re)built, or by ``validate``.
"""
