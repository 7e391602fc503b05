"""The Keepsake backup service: HTTP API, accounts, devices, plans, pack store, metadata, retention."""

__version__ = "0.1.0"
