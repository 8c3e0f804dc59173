"""Helpers the report tests share: files the bot sent, read back."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from support import World


def photos(world: World, chat: int) -> list[dict[str, Any]]:
    return [m for m in world.tg.bot_messages(chat) if m.get("photo")]


def documents(world: World, chat: int) -> list[dict[str, Any]]:
    return [m for m in world.tg.bot_messages(chat) if m.get("document")]


def file_bytes(world: World, message: dict[str, Any]) -> bytes:
    item = message["document"] if message.get("document") else message["photo"][-1]
    return world.tg.files[item["file_id"]].data


def workbook_of(world: World, message: dict[str, Any]) -> Workbook:
    return load_workbook(io.BytesIO(file_bytes(world, message)))


def tallies(world: World, chat: int) -> list[str]:
    return [
        m["text"] for m in world.tg.bot_messages(chat) if (m.get("text") or "").startswith("📊")
    ]
