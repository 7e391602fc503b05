"""Storage tests: backends, wrappers, the in-memory service and the service client."""
