"""The facing layout's planner on made-up paragraphs (press/editions/book/spread_plan.py): pure geometry,
no WeasyPrint, so each rule is checked on the case that exercises it."""

from __future__ import annotations

import pytest

from press.editions.book.spread_plan import Frag, Line, Measured, Spread, Unit, plan

HEIGHT = 600.0
ORDER = ("en", "he")


def para(block: int, lang: str, lines: int, line: float = 20.0, baseline: float = 15.0, gap: float = 8.0,
         notes: tuple[tuple[int, float], ...] = ()) -> Measured:
    return Measured(block, lang, tuple(Line(i * line, (i + 1) * line, i * line + baseline, i * 40)
                                      for i in range(lines)), gap, notes)


def pair(block: int, en_lines: int, he_lines: int, *singles: Measured) -> Unit:
    return Unit(Frag.whole(para(block, "en", en_lines)), Frag.whole(para(block, "he", he_lines, 26.0, 19.0)),
                tuple(singles))


def baselines(spread: Spread, lang: str) -> dict[tuple[int, str], float]:
    return {(p.frag.para.block, p.frag.para.lang): p.y + p.frag.baseline for p in spread.pages[lang].placed}


def test_every_pair_starts_level_even_after_a_longer_hebrew() -> None:
    (spread,) = plan([pair(1, 1, 3), pair(2, 2, 1), pair(3, 3, 1)], [], ORDER, HEIGHT, 0)
    en, he = baselines(spread, "en"), baselines(spread, "he")
    for block in (1, 2, 3):
        assert en[(block, "en")] == pytest.approx(he[(block, "he")])
    assert en[(2, "en")] >= he[(1, "he")] + 2 * 26  # the English waited for the three-line Hebrew


def test_commentary_runs_from_the_first_pages_foot_to_the_seconds() -> None:
    units = [pair(1, 10, 6), pair(2, 10, 6, para(3, "en", 20)), pair(4, 2, 1)]
    first, second = plan(units, [], ORDER, HEIGHT, 0)[:2]
    en = [(p.frag.para.block, p.frag.first, p.frag.end) for p in first.pages["en"].placed]
    he = [(p.frag.para.block, p.frag.para.lang, p.frag.first, p.frag.end) for p in first.pages["he"].placed]
    assert en[:2] == [(1, 0, 10), (2, 0, 10)] and en[2][0] == 3
    cut = en[2][2]
    assert cut >= 2 and he[-1] == (3, "en", cut, he[-1][3]) and he[-1][3] - cut >= 2
    assert second.pages["en"].placed[0].frag.para.block == 4, "the next pair opens the next spread"


def test_a_spread_is_justified_to_its_foot_but_the_chapters_last_is_not() -> None:
    units = [pair(n, 4, 2) for n in range(1, 9)]
    spreads = plan(units, [], ORDER, HEIGHT, 0)
    assert len(spreads) == 2
    assert max(page.bottom() for page in spreads[0].pages.values()) > HEIGHT - 1, "the white is shared out"
    assert spreads[-1].pages["en"].bottom() < HEIGHT / 2
    for spread in spreads:
        en, he = baselines(spread, "en"), baselines(spread, "he")
        assert all(en[(b, "en")] == pytest.approx(he[(b, "he")]) for b, lang in he if lang == "he")


def test_a_pair_taller_than_a_page_breaks_in_both_languages_on_the_same_spread() -> None:
    spreads = plan([pair(1, 3, 2), pair(2, 40, 30), pair(3, 2, 2)], [], ORDER, HEIGHT, 0)
    where = {}
    for index, spread in enumerate(spreads):
        for lang in ORDER:
            for placed in spread.pages[lang].placed:
                where.setdefault((placed.frag.para.block, lang), []).append(index)
    assert where[(2, "en")] == where[(2, "he")][: len(where[(2, "en")])] or where[(2, "he")] == where[(2, "en")][
        : len(where[(2, "he")])]
    assert where[(2, "en")][0] == where[(2, "he")][0], "both languages of the pair begin on one spread"
    assert len(where[(2, "en")]) == 2 and where[(2, "en")][1] == where[(2, "en")][0] + 1
    second = spreads[where[(2, "en")][1]]
    en, he = second.pages["en"].placed[0], second.pages["he"].placed[0]
    assert en.frag.first > 0 and he.frag.first > 0, "both continue at the head of the next spread"
    assert en.y + en.frag.baseline == pytest.approx(he.y + he.frag.baseline)


def test_commentary_taller_than_a_spread_heads_the_next_spreads_balanced() -> None:
    spreads = plan([pair(1, 2, 1, para(2, "en", 80)), pair(3, 2, 1)], [], ORDER, HEIGHT, 0)
    lines = sum(p.frag.end - p.frag.first for s in spreads for lang in ORDER for p in s.pages[lang].placed
                if p.frag.para.block == 2)
    assert lines == 80, "every line of the commentary is set once"
    head = spreads[1]
    en, he = head.pages["en"].placed[0], head.pages["he"].placed[0]
    assert en.frag.para.block == he.frag.para.block == 2 and en.y == he.y == 0
    last = spreads[-1]
    en3 = [p for p in last.pages["en"].placed if p.frag.para.block == 3]
    assert en3, "the pair after the commentary follows it"


def test_footnotes_take_the_room_of_their_page() -> None:
    noted = Unit(Frag.whole(para(1, "en", 10, notes=((0, 150.0),))), Frag.whole(para(1, "he", 5, 26.0, 19.0)), ())
    spreads = plan([noted, pair(2, 10, 5), pair(3, 10, 5)], [], ORDER, HEIGHT, 10.0)
    page = spreads[0].pages["en"]
    assert page.notes == 150.0
    assert page.bottom() <= HEIGHT - 160.0
    assert len(spreads) == 2


def test_a_short_rest_of_commentary_stands_on_the_first_page_not_alone_on_the_second() -> None:
    """Three lines carried over cannot be shared out (two lines at least each side): they go on the
    first page in reading order, not on the second with a blank page before it."""
    (spread,) = plan([], [Frag.whole(para(9, "en", 3))], ORDER, HEIGHT, 0)
    assert [p.frag.para.block for p in spread.pages[ORDER[0]].placed] == [9]
    assert not spread.pages[ORDER[1]].placed


def test_commentary_longer_than_the_share_of_the_first_page_fills_both_pages() -> None:
    """The second page's footnotes leave it less room than the first: the first takes more than half of
    the commentary, so that it all stays on the spread of its pair."""
    hebrew = Frag.whole(para(1, "he", 5, 26.0, 19.0, notes=((0, 200.0),)))
    noted = Unit(Frag.whole(para(1, "en", 10)), hebrew, (para(2, "en", 30),))
    first, second = plan([noted, pair(3, 2, 1)], [], ORDER, HEIGHT, 10.0)
    lines = sum(p.frag.end - p.frag.first for lang in ORDER for p in first.pages[lang].placed
                if p.frag.para.block == 2)
    assert lines == 30, "the commentary stays on its pair's spread"
    assert second.pages["en"].placed[0].frag.para.block == 3


def test_both_pages_reach_their_foot_when_one_has_footnotes() -> None:
    """The English page's footnotes leave it less room: the justified pairs stay level, and the commentary
    under them on the Hebrew page is let down to its foot."""
    english = Frag.whole(para(1, "en", 6, notes=((0, 120.0),)))
    noted = Unit(english, Frag.whole(para(1, "he", 4, 26.0, 19.0)), (para(2, "en", 6),))
    spreads = plan([noted, pair(3, 8, 5, para(4, "en", 10)), pair(5, 12, 6, para(6, "en", 20))], [], ORDER, HEIGHT,
                   10.0)
    first = spreads[0]
    for page in first.pages.values():
        assert page.limit(0) - page.bottom() < 20.0, "each page reaches its foot (within a line)"
    en, he = baselines(first, "en"), baselines(first, "he")
    assert all(en[(b, "en")] == pytest.approx(he[(b, "he")]) for b, lang in he if lang == "he")
