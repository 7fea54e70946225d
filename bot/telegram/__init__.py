"""The Telegram face of khabar: questions in, dated passages with citations out.

One module a concern: :mod:`.texts` (what the bot says), :mod:`.logs` (secrets kept out of
logs), :mod:`.transport` (retrying the Bot API), :mod:`.webhook` (the webhook endpoint),
:mod:`.paging` (the «المزيد» store and the flood gate; no Telegram types), :mod:`.callbacks`
(button data), :mod:`.keyboards`, :mod:`.answers` (a request rendered to messages),
:mod:`.handlers`, and :mod:`.app` (wiring, ``khabar telegram``). Importing this package
imports none of them, so the pure parts load without python-telegram-bot.
"""
