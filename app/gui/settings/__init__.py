"""The settings window: one window with a side list of pages (folders, schedule, network,
account, security, privacy, about). Pages edit one shared draft that is saved as it changes."""
