"""Working days, office hours and deadlines as Vietnamese offices count them (pure, no I/O)."""

from bot.calendar.deadline import (
    DeadlineError,
    DeadlineErrorCode,
    ParsedDeadline,
    extract_deadline,
    format_deadline,
    parse_deadline,
    weekday_name,
)
from bot.calendar.workdays import VN_TZ, DayOffRule, WorkCalendar, roll_kind

__all__ = [
    "VN_TZ",
    "DayOffRule",
    "DeadlineError",
    "DeadlineErrorCode",
    "ParsedDeadline",
    "WorkCalendar",
    "extract_deadline",
    "format_deadline",
    "parse_deadline",
    "roll_kind",
    "weekday_name",
]
