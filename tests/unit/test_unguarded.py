"""PTB's objects are built without a Python-level __setattr__ call per attribute
(handlers/unguarded.py), and come out the same."""

from __future__ import annotations

import sys
from types import FrameType, FunctionType
from typing import Any

import pytest
from telegram import Bot, TelegramObject, Update

from handlers.unguarded import lift_assignment_guard

USER = {"id": 910020, "is_bot": False, "first_name": "Bình", "username": "binh"}
CHAT = {"id": -100200, "type": "supergroup", "title": "Phòng Kinh tế"}
BUTTON = {
    "update_id": 6,
    "callback_query": {
        "id": "99",
        "from": USER,
        "chat_instance": "1",
        "data": "ack:12",
        "message": {
            "message_id": 78,
            "from": {"id": 1, "is_bot": True, "first_name": "Đôn Đốc"},
            "chat": CHAT,
            "date": 1764547200,
            "text": "KTHT-12 Báo cáo",
            "entities": [{"type": "bold", "offset": 0, "length": 7}],
            "reply_markup": {"inline_keyboard": [[{"text": "Đã nhận", "callback_data": "ack:12"}]]},
        },
    },
}


def _setattr_calls(data: dict[str, Any]) -> tuple[Update, int]:
    calls = 0

    def count(frame: FrameType, event: str, _: object) -> None:
        nonlocal calls
        if event == "call" and frame.f_code.co_name == "__setattr__":
            calls += 1

    sys.setprofile(count)
    try:
        update = Update.de_json(data, Bot("1:A"))
    finally:
        sys.setprofile(None)
    return update, calls


def test_an_update_is_read_without_a_python_call_per_attribute() -> None:
    guarded, _ = _setattr_calls(BUTTON)
    lift_assignment_guard()
    update, calls = _setattr_calls(BUTTON)
    assert calls == 0
    assert update.to_dict() == guarded.to_dict()
    assert update == guarded
    assert update.callback_query is not None and update.callback_query.data == "ack:12"
    with pytest.raises(AttributeError):
        update.no_such_field = 1  # type: ignore[attr-defined]


def test_neither_setting_nor_deleting_is_left_in_python() -> None:
    """CPython keeps one slot for both: a Python __delattr__ alone would send every assignment
    through a Python-level lookup and the slot's wrapper again."""
    lift_assignment_guard()
    for name in ("__setattr__", "__delattr__"):
        assert not isinstance(TelegramObject.__dict__[name], FunctionType), name
