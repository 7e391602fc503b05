"""Moves opaque bytes: the Backend protocol, its implementations, and wrappers that add behaviour.

Knows bytes, never their meaning. The HTTP client of the Keepsake service lives here too.
"""
