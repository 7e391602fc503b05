"""Service policy as pure functions of data and `now`: subscription standing, retention, quota.

Nothing here reads a clock, a database or a file, so every rule is tested with tables of cases.
"""
