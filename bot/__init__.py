"""khabar's faces: the ``khabar`` command, the console, the Telegram bot and reply formatting."""
