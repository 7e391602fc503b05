"""The `keepsake` command's verbs, grouped by what they touch; `app.cli` only parses and dispatches."""
