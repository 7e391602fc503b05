"""Operating-system integration behind small interfaces: keystore, autostart, power, notifications."""
