"""Benchmarks of kiwibot against a real local Synapse (issue #6): ``python -m bench [--quick]``.

Plain Python on top of kiwibot's own modules and ``kiwibot.devserver``; figures go into one table,
printed and written to ``bench/results.md``. Timings are never asserted in tests: the test suite only
runs the quick sizes to keep this code from rotting.
"""
