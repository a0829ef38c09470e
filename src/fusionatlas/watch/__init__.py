"""Watches delivered: the per-user Atom feed (`feed.py`) and the daily e-mail digest (`digest.py`).

The watches themselves, their matching and what counts as new or changed live in `store/watch.py`.
"""
