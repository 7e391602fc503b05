"""Continuous protection: folder watching, debouncing, scheduling, pause and resume. No Qt.

`Protector` (protector.py) is the one object the GUI and `keepsake agent` use; its observable
`StateModel` (state.py) is what they show. Around it, one job per module:

- policy, pure and clock-injected: `planner` (what runs next: daily, wake-up, coalescing,
  back-off, lock), `schedule` (daily slot, pauses, back-off delays), `debounce` (settled
  batches), `status` (the status sentence), `exclude` (what is not backed up and why);
- the outside world: `watcher` (watchdog), `folderwatch` (folders vanishing, coming back, not
  watchable), `intake` (events in), `runner` (one engine run, bandwidth limit, outcomes),
  `conditions` (battery, metered network), `persisted` (what survives a restart), `report` and
  `feed` (results and progress into the state).
"""
