"""The annual programme through the stand-in: planned tasks become real at the start of their
month (and not before), and the office imports the workbook in chat."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import func, select
from support import (
    CHAIRMAN,
    LEADERS,
    OFFICE,
    QLDT_CHAT,
    TCKH_CHAT,
    TCKH_HEAD,
    VN,
    World,
)

from bot.db.tables import DeliveryRow, ProgrammeItemRow, TaskRow

HEADERS = ["STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"]


def workbook(rows: list[list[object]], title: str = "CHƯƠNG TRÌNH CÔNG TÁC NĂM 2027") -> bytes:
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.append([title])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


PROGRAMME = workbook(
    [
        [1, "Xây dựng kế hoạch thu ngân sách quý I", "TCKH", None, "Tháng 1"],
        [2, "Tổng hợp báo cáo kinh tế - xã hội quý I", "TCKH", "QLDT", "Tháng 3"],
        [3, "Rà soát giấy phép xây dựng", "QLĐT", None, "Quý II"],
    ]
)


async def count(world: World, table: type[object], **where: object) -> int:
    engine = world.live.runtime.engine
    async with engine.connect() as conn:
        query = select(func.count()).select_from(table)  # type: ignore[arg-type]
        for name, value in where.items():
            query = query.where(getattr(table, name) == value)
        return int((await conn.execute(query)).scalar_one())


async def programme_deliveries(world: World) -> list[tuple[str, str]]:
    engine = world.live.runtime.engine
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(DeliveryRow.key, DeliveryRow.state).where(
                DeliveryRow.key.startswith("programme:")
            )
        )
        return sorted((str(k), str(s)) for k, s in rows)


def cards(world: World, chat: int) -> list[str]:
    return [t for t in world.bot_texts(chat) if "Nhiệm vụ NV-" in t]


async def test_planned_tasks_appear_at_the_start_of_their_month_once(world: World) -> None:
    programme = world.services.programme
    result = await programme.import_file(PROGRAMME, "ct2027.xlsx", None)
    assert result.imported == 3
    assert await count(world, TaskRow) == 0  # planned, not posted
    # The sandbox's ⏩ (and anyone asking what comes next) sees the first activation.
    assert await world.services.chasing.next_event() == datetime(2027, 1, 4, 8, 0, tzinfo=VN)

    await world.tick()  # 23/11/2026: nothing is due yet
    assert cards(world, TCKH_CHAT) == [] and cards(world, QLDT_CHAT) == []
    await world.say(LEADERS, CHAIRMAN, "/viec")
    assert "NV-" not in world.last_text(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "/tonghop")
    assert "không có nhiệm vụ" in world.last_text(LEADERS)

    # 1 January 2027 is a holiday: the January task waits for Monday 4 January, 08:00.
    await world.at(datetime(2027, 1, 1, 9, 0, tzinfo=VN))
    assert cards(world, TCKH_CHAT) == []
    await world.at(datetime(2027, 1, 4, 7, 59, tzinfo=VN))
    assert cards(world, TCKH_CHAT) == []
    await world.at(datetime(2027, 1, 4, 8, 0, tzinfo=VN))
    january = cards(world, TCKH_CHAT)
    assert len(january) == 1 and "Xây dựng kế hoạch thu ngân sách quý I" in january[0]
    assert "Chương trình công tác năm 2027, dòng 3" in january[0]
    assert "Chủ nhật, 31/01/2027" not in january[0]  # rolled to the next working day
    assert "01/02/2027" in january[0]

    # The end of February: March's task is still only planned.
    await world.at(datetime(2027, 2, 26, 16, 0, tzinfo=VN))
    assert len(cards(world, TCKH_CHAT)) == 1
    await world.say(TCKH_CHAT, TCKH_HEAD, "/viec")
    assert "NV-0001" in world.last_text(TCKH_CHAT)
    assert "Tổng hợp báo cáo kinh tế" not in world.last_text(TCKH_CHAT)

    # Monday 1 March 2027, opening time: March's task is posted, once, however often the
    # scan runs; the cooperating unit is told.
    await world.at(datetime(2027, 3, 1, 8, 0, tzinfo=VN))
    await world.tick()
    world.advance(minutes=5)
    await world.tick()
    march = [c for c in cards(world, TCKH_CHAT) if "Tổng hợp báo cáo kinh tế" in c]
    assert len(march) == 1 and "NV-0002" in march[0]
    assert "31/03/2027" in march[0]
    assert any("NV-0002" in t and "phối hợp" in t for t in world.bot_texts(QLDT_CHAT))
    assert await count(world, ProgrammeItemRow, state="planned") == 1  # the quarter's, in April
    # Each planned task's card (and notice) queued once and sent once.
    assert [state for _, state in await programme_deliveries(world)] == ["sent"] * 3

    await world.say(TCKH_CHAT, TCKH_HEAD, "/viec")
    assert "NV-0002" in world.last_text(TCKH_CHAT)
    # The card was recorded where it landed: acknowledging edits it in place.
    card = world.card(TCKH_CHAT, "NV-0002")
    await world.press(TCKH_CHAT, card["message_id"], TCKH_HEAD, world.button(card, "Đã nhận"))
    assert "Đang thực hiện" in world.message(TCKH_CHAT, card["message_id"])["text"]

    await world.at(datetime(2027, 4, 1, 8, 30, tzinfo=VN))
    assert len(cards(world, QLDT_CHAT)) == 1
    assert "30/06/2027" in cards(world, QLDT_CHAT)[0]
    assert await count(world, ProgrammeItemRow, state="planned") == 0


async def test_the_office_imports_the_workbook_in_chat(world: World) -> None:
    tg = world.tg
    document = ("chuong-trinh-2027.xlsx", PROGRAMME, None)

    # Only the office (and administrators) may: a unit head and the chairman are refused.
    await world.say(TCKH_CHAT, TCKH_HEAD, document=document, caption="/chuongtrinh")
    assert "Chỉ Văn phòng hoặc quản trị viên" in world.last_text(TCKH_CHAT)
    await world.say(LEADERS, CHAIRMAN, document=document, caption="/chuongtrinh")
    assert "Chỉ Văn phòng hoặc quản trị viên" in world.last_text(LEADERS)

    # The command alone, or with a file that is not a workbook: how to do it.
    await world.say(LEADERS, OFFICE, "/chuongtrinh")
    assert "Cách dùng" in world.last_text(LEADERS)
    assert "Quản trị viên tạo được tệp mẫu trên máy chủ" in world.last_text(LEADERS)
    await world.say(
        LEADERS, OFFICE, document=("ct.pdf", b"%PDF-1.4", "application/pdf"), caption="/chuongtrinh"
    )
    assert "không phải bảng tính Excel .xlsx" in world.last_text(LEADERS)
    await world.say(
        LEADERS, OFFICE, document=("ct.xlsx", b"not a zip at all", None), caption="/chuongtrinh"
    )
    assert "không phải bảng tính Excel .xlsx" in world.last_text(LEADERS)

    # The preview, with its buttons; nothing is written yet.
    await world.say(LEADERS, OFFICE, document=document, caption="/chuongtrinh")
    preview = world.last(LEADERS)
    assert "Chương trình công tác năm 2027" in preview["text"]
    assert "3 nhiệm vụ" in preview["text"] and "TCKH 2 · QLDT 1" in preview["text"]
    assert await count(world, ProgrammeItemRow) == 0
    buttons = world.buttons(preview)
    assert set(buttons) == {"✅ Nhập 3 nhiệm vụ", "✖️ Hủy"}

    # Someone else cannot press for the office.
    answer = await world.press(
        LEADERS, preview["message_id"], CHAIRMAN, buttons["✅ Nhập 3 nhiệm vụ"]
    )
    assert "Chỉ Văn phòng" in answer["text"] and answer["show_alert"]
    assert await count(world, ProgrammeItemRow) == 0

    answer = await world.press(
        LEADERS, preview["message_id"], OFFICE, buttons["✅ Nhập 3 nhiệm vụ"]
    )
    assert "Đã nhập 3 nhiệm vụ" in answer["text"]
    done = world.message(LEADERS, preview["message_id"])
    assert "Đã nhập 3 nhiệm vụ của chương trình công tác năm 2027" in done["text"]
    # What to do next is something a chat user can do, not a command of the server's.
    assert "dondoc" not in done["text"] and "/viec" in done["text"]
    assert world.buttons(done) == {}
    assert await count(world, ProgrammeItemRow, state="planned") == 3
    assert await count(world, TaskRow) == 0
    # A client still showing the old buttons presses again: nothing happens twice.
    again = await world.press(
        LEADERS, preview["message_id"], OFFICE, buttons["✅ Nhập 3 nhiệm vụ"], forged=True
    )
    assert "đã được xử lý" in again["text"]
    assert await count(world, ProgrammeItemRow) == 3

    # The same file again changes nothing and says so, with no button to press.
    await world.say(OFFICE, OFFICE, document=document, caption="/chuongtrinh")
    repeat = world.last(OFFICE)
    assert "đã được nhập" in repeat["text"] and "không có gì thay đổi" in repeat["text"]
    assert world.buttons(repeat) == {}

    # Another file, cancelled: nothing imported.
    other = workbook([[1, "Kiểm kê tài sản công", "TCKH", None, "Tháng 12"]])
    await world.say(OFFICE, OFFICE, document=("khac.xlsx", other, None), caption="/chuongtrinh")
    preview = world.last(OFFICE)
    await world.press(OFFICE, preview["message_id"], OFFICE, world.button(preview, "Hủy"))
    assert "Đã hủy" in world.message(OFFICE, preview["message_id"])["text"]
    assert await count(world, ProgrammeItemRow) == 3
    assert tg.calls_to("getFile")  # the workbook was fetched the way a bot fetches files

    # The tasks are assigned in the name of the office member who imported them.
    await world.at(datetime(2027, 1, 4, 8, 0, tzinfo=VN))
    card = world.card(TCKH_CHAT, "NV-0001")
    assert "Phạm Văn Cường" in card["text"]
    assert cards(world, QLDT_CHAT) == []  # the quarter's task waits for April


async def test_a_chat_preview_lists_unreadable_rows_with_their_reasons(world: World) -> None:
    messy = workbook(
        [
            [1, "Việc tốt", "TCKH", None, "Tháng 5"],
            [2, "Việc của đơn vị lạ", "Phòng Cây xanh", None, "Tháng 5"],
            [3, "Việc không rõ thời gian", "TCKH", None, "sớm"],
            [4, None, "TCKH", None, "Tháng 6"],
            [5, "Rà soát nợ thuế", "TCKH", "QLDT, Chi cục Thuế", "Tháng 5"],
        ]
    )
    await world.say(
        OFFICE, OFFICE, document=("messy.xlsx", messy, None), caption="/chuongtrinh 2027"
    )
    text = world.last_text(OFFICE)
    assert "2 nhiệm vụ" in text and "3 dòng không nhập" in text
    # A cooperating body outside the roster is noted, not refused (as in a draft): the row is
    # imported, its roster unit cooperates, the body's name stays on the task.
    assert "ℹ️ 1 dòng có cơ quan phối hợp không có trong danh sách đơn vị" in text
    assert "Dòng 7: “Chi cục Thuế”" in text
    assert "Dòng 4: không có đơn vị chủ trì “Phòng Cây xanh” trong danh sách" in text
    assert "Dòng 5: không đọc được thời gian “sớm”" in text
    assert "Dòng 6: không có nội dung" in text
    preview = world.last(OFFICE)
    await world.say(
        OFFICE, OFFICE, document=("messy.xlsx", messy, None), caption="/chuongtrinh 27x"
    )
    assert "không hợp lệ" in world.last_text(OFFICE)
    await world.press(OFFICE, preview["message_id"], OFFICE, world.button(preview, "Nhập 2"))
    await world.at(datetime(2027, 5, 10, 9, 0, tzinfo=VN))
    [card] = [text for text in cards(world, TCKH_CHAT) if "Rà soát nợ thuế" in text]
    assert "Phối hợp: QLDT, Chi cục Thuế" in card  # the cell as written, in the content
    assert "\nPhối hợp: Phòng Quản lý đô thị\n" in card  # the roster unit cooperates
