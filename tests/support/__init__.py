"""Test helpers shared by every test suite (the real service process, accounts)."""
