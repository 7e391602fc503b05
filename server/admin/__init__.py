"""The operator's side: account administration, retention GC, scrub and statistics (CLI only)."""
