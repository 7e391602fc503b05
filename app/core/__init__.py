"""The backup engine: keys, sealing, chunking, packs, trees, snapshots, index, backup, restore, verify.

Pure Python plus native libraries. Never imports Qt, requests, the GUI, or any other app package:
everything it needs from the outside world arrives through the Protocols in `app.core.ports`.
"""
