"""Turning checked facts into page content: references, HTML, previews, notebooks, the CSP.

A regular package, not a namespace one: the preview re-imports the project's modules on every
rebuild and drops those whose file is in the project. A namespace package has no file, so it
stayed, and kept its old ``html`` attribute; ``from pages import html`` then returned the stale
module, whose unit checks failed against the new facts ("24% of GDP" showed as "24").
"""
