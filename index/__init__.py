"""khabar's retrieval: Arabic analysis chain, dated event passages, BM25, date grammar, store.

Nothing here knows about Telegram; the console, the CLI and the bot all sit on
:mod:`khabar.index.search`.
"""
