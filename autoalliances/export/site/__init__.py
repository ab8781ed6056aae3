"""The whole fact base as a static website that works offline (``export site``); see ``build.build_site``."""
