"""Questions asked of the store: the registry, the landscape (matrix, timeline, graph), completion.

Plain, typed functions; no typer, click or rich.
"""
