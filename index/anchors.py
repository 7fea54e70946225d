"""A question dated by another event: "ماذا فعلت الأمم المتحدة قبل نداء الهلال الأحمر؟".

"قبل" or "بعد" followed by words that name no date splits a question in two: the event it is
anchored to (the words after) and what it asks of the time before or after that event (the
words before). The engine finds the anchor's passage and its date, then answers among the
events on that side of it; a question whose anchor it cannot find or date is answered as any
other.

Not an anchor: "من قبل" (by: "حصار فيينا من قبل الجيوش العثمانية"), "ما بعد" (post-, a noun
phrase), "قبل أم بعد" (either), and a question that opens with the word (nothing asked before
it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from khabar.index.normalize import normalize

_SIDE = re.compile(r"(?<!\S)(?:و|ف)?(قبل|بعد)(?=\s)")
_NOT_BEFORE = ("من", "ما")  # "من قبل": by; "ما بعد": post-
_GLUE = ("ان", "ما")  # "بعد أن سقطت", "قبل ما": the anchor is what follows
_EITHER = ("ام", "او")  # "قبل أم بعد"


@dataclass(frozen=True)
class Anchored:
    """What is asked, the words naming the event it is anchored to, and on which side."""

    asked: str
    anchor: str
    after: bool


def anchored(question: str) -> Anchored | None:
    """The question's anchor, if it has one: the last "قبل"/"بعد" with words on both sides."""
    text = normalize(question)
    found: Anchored | None = None
    for match in _SIDE.finditer(text):
        asked = text[: match.start()].split()
        anchor = text[match.end() :].split()
        if anchor and anchor[0] in _GLUE:
            anchor = anchor[1:]
        either = (asked and asked[-1] in _EITHER) or (anchor and anchor[0] in _EITHER)
        if not asked or not anchor or asked[-1] in _NOT_BEFORE or either:
            continue
        found = Anchored(" ".join(asked), " ".join(anchor), match.group(1) == "بعد")
    return found
