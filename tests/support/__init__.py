"""What the tests share: the Bot API stand-in, `khabar` processes, settings and a fake clock."""
