"""The HTTP API v1 (FastAPI): routes, bearer authentication and the JSON error shape."""
