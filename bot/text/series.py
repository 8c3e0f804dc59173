"""A recurring series as people read it: its rule ("ngày 20 hằng tháng") and a period ("tháng
12/2026"), for /giao's confirmation, /dinhky and the card of each period's task."""

from __future__ import annotations

import html
from datetime import date, timedelta

from bot.calendar import weekday_name
from bot.calendar.recurrence import LAST, Frequency, Period, Recurrence
from bot.domain.series import Series
from bot.text.catalog import t

_ROMAN = ("I", "II", "III", "IV")


def rule_text(rule: Recurrence, lang: str) -> str:
    """ "ngày 20 hằng tháng", "Thứ Sáu hằng tuần", "ngày 15/12 hằng năm" ... for people to read."""
    if rule.freq is Frequency.WEEKLY:
        text = t("series.rule.W", lang, weekday=weekday_name(rule.day, lang))
    elif rule.freq is Frequency.MONTHLY:
        last = rule.day == LAST
        text = t("series.rule.M.last" if last else "series.rule.M", lang, day=rule.day)
    elif rule.freq is Frequency.QUARTERLY:
        if rule.day == LAST:
            text = t("series.rule.Q.last", lang)
        else:
            which = t(f"series.qmonth.{rule.month}", lang)
            text = t("series.rule.Q", lang, day=rule.day, month=which)
    else:
        day = 31 if rule.day == LAST else rule.day
        text = t("series.rule.Y", lang, date=f"{day:02d}/{rule.month:02d}")
    if rule.at is not None:
        text += t("series.rule.at", lang, time=f"{rule.at:%H:%M}")
    return text


def period_text(rule: Recurrence, period: Period, lang: str) -> str:
    return _period_words(rule.freq, period.start, period.end, lang)


def _period_words(freq: Frequency, start: date, end: date, lang: str) -> str:
    year = start.year
    if freq is Frequency.WEEKLY:
        iso = start.isocalendar()
        return t(
            "series.period.W",
            lang,
            week=iso.week,
            year=iso.year,
            start=f"{start:%d/%m}",
            end=f"{end:%d/%m}",
        )
    if freq is Frequency.MONTHLY:
        return t("series.period.M", lang, month=f"{start.month:02d}", year=year)
    if freq is Frequency.QUARTERLY:
        roman = _ROMAN[(start.month - 1) // 3]
        return t("series.period.Q", lang, quarter=roman, year=year)
    return t("series.period.Y", lang, year=year)


def _key_span(key: str) -> tuple[date, date] | None:
    """The first and last day of a period key ("2026-12", "2026-W49", "2026-Q4", "2026")."""
    try:
        if "-W" in key:
            year, week = key.split("-W")
            start = date.fromisocalendar(int(year), int(week), 1)
            return start, start + timedelta(days=6)
        if "-Q" in key:
            year, quarter = key.split("-Q")
            start = date(int(year), int(quarter) * 3 - 2, 1)
        elif "-" in key:
            year, month = key.split("-")
            start = date(int(year), int(month), 1)
        else:
            return date(int(key), 1, 1), date(int(key), 12, 31)
    except ValueError:
        return None
    return start, start  # the end is not shown for months and quarters


def series_line(series: Series, period_key: str | None, lang: str) -> str:
    """The card's line: "DK-0001 (ngày 20 hằng tháng), kỳ tháng 12/2026"."""
    rule = Recurrence.from_spec(series.rule)
    span = _key_span(period_key) if period_key else None
    period = _period_words(rule.freq, *span, lang) if span else ""
    return t(
        "card.series",
        lang,
        code=html.escape(series.code),
        rule=rule_text(rule, lang),
        period=t("card.series.period", lang, period=period) if period else "",
    )
