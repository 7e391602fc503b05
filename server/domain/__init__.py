"""The service's operations on its records (accounts, sets, packs, commits), free of HTTP.

Each function takes an open session and `now`; callers choose read or write transactions.
"""
