"""The first-run wizard: sign in or create an account, make the key and keep its recovery kit,
choose folders, start the first backup; on a new PC, import the kit and offer to restore."""
