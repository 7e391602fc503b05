"""Continuous protection: folder watching, debouncing, scheduling, pause and resume. No Qt."""
