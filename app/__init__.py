"""Keepsake desktop client: the engine (core), storage backends, protection, platform glue and GUI."""

__version__ = "0.1.0"
