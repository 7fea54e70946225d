"""Questions dated by another event: "ماذا فعلت الأمم المتحدة قبل نداء الهلال الأحمر؟"."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.index.anchors import anchored
from khabar.index.search import Engine

# ---- the grammar --------------------------------------------------------------------------


def test_before_splits_what_is_asked_from_the_event() -> None:
    found = anchored("ماذا فعلت الأمم المتحدة قبل نداء الهلال الأحمر؟")
    assert (found.asked, found.anchor, found.after) == (
        "ماذا فعلت الامم المتحده", "نداء الهلال الاحمر؟", False
    )  # fmt: skip


def test_after_is_the_other_side() -> None:
    assert anchored("ماذا حدث بعد سقوط المدينة القديمة؟").after


def test_after_that_the_event_is_what_follows_an() -> None:
    assert anchored("ماذا فعل الجيش بعد أن سقطت المدينة؟").anchor == "سقطت المدينه؟"


@pytest.mark.parametrize(
    "question",
    [
        "متى توقف حصار فيينا من قبل الجيوش العثمانية؟",  # من قبل: by
        "ما شكل مرحلة ما بعد الحرب؟",  # ما بعد: post-
        "هل حدثت معركة اليرموك قبل أم بعد وفاة الرسول؟",  # either
        "قبل اعتزاله، مع أي فريق لعب؟",  # nothing asked before it
        "ماذا حدث بعد؟",  # no event after it
    ],
)
def test_not_an_anchor(question: str) -> None:
    assert anchored(question) is None


# ---- the engine ---------------------------------------------------------------------------

WIRE = (
    "فيضانات في الشمال",
    "الخرطوم - 10 سبتمبر (رويترز) - أطلقت الأمم المتحدة تحذيراً من خطر تفشي الأوبئة في"
    " المناطق المنكوبة.",
    "وفي اليوم التالي، وجه الهلال الأحمر نداء عاجلاً لجمع التبرعات للمتضررين.",
    "وبعد يومين، وصلت أولى قوافل المساعدات إلى القرى المعزولة.",
)


@pytest.fixture(scope="module")
def wire(tmp_path_factory) -> Engine:
    folder: Path = tmp_path_factory.mktemp("wire")
    (folder / "floods.txt").write_text("\n".join(WIRE) + "\n", encoding="utf-8")
    (folder / "floods.toml").write_text("published = 2024-09-13\n", encoding="utf-8")
    return Engine.build([folder])


@pytest.fixture(scope="module")
def aleppo() -> Engine:
    return Engine.default()


def lines(answer) -> list[int]:
    return [hit.passage.source.paragraph for hit in answer.hits]


def test_what_was_done_before_an_event_is_found_on_the_days_before_it(wire: Engine) -> None:
    assert lines(wire.ask("ماذا فعلت الأمم المتحدة قبل نداء الهلال الأحمر؟")) == [1]


def test_what_happened_after_an_event_is_what_came_next(wire: Engine) -> None:
    assert lines(wire.ask("ماذا حدث بعد نداء الهلال الأحمر؟")) == [3]


def test_after_the_old_city_fell_comes_the_next_day_with_events(aleppo: Engine) -> None:
    assert lines(aleppo.ask("ماذا حدث بعد سقوط المدينة القديمة؟"))[0] == 12


def test_before_hanano_fell_comes_the_day_before_with_events(aleppo: Engine) -> None:
    assert lines(aleppo.ask("ماذا حدث قبل سقوط حي مساكن هنانو؟"))[0] == 6


def test_the_next_page_goes_on_in_time(aleppo: Engine) -> None:
    question = "ماذا حدث بعد سقوط المدينة القديمة؟"
    first = aleppo.ask(question, top_k=3).hits[-1].passage.date
    then = aleppo.ask(question, top_k=3, offset=3).hits[0].passage.date
    assert then >= first


def test_an_anchor_the_article_lacks_leaves_the_question_as_it_was(aleppo: Engine) -> None:
    assert lines(aleppo.ask("ماذا أعلنت منظمة الصحة العالمية بعد الزلزال المدمر؟"))[0] == 6


def test_an_anchor_in_a_place_the_article_never_names_is_not_answered(aleppo: Engine) -> None:
    assert lines(aleppo.ask("ماذا أعلنت منظمة الصحة العالمية بعد زلزال اليابان؟")) == []
