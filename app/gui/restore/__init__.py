"""The restore wizard: when (a snapshot in the retention window), what (a lazily loaded tree with
check boxes, search, deleted files, versions), where (and what to do with existing files), then
progress with cancel and a summary of anything that failed."""
