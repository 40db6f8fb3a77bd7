"""View models of the jury's pages: French labels, formatted numbers, chart geometry (STYLE.md 17).

Each page has its module; they read through selectors (the proposals through
selectors/proposals.py) and never write.
"""
