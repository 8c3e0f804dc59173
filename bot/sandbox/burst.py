"""The 08:00 burst: thousands of tasks falling due at one opening, delivered through a stand-in
that enforces Telegram's limits. Shared by the test (correctness) and bench/ (the rate)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import ManualClock
from bot.config import Settings
from bot.domain.model import Role, Status, Task
from bot.domain.orgfile import OrgSpec, PersonSpec, UnitSpec
from bot.sandbox.live import LiveBot
from bot.sandbox.state import FakeTelegram
from bot.services.planning import replan
from bot.services.tasks import task_code
from scheduler.jobs import run_once
from scheduler.pacer import Pacer

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Assigned Monday 23/11/2026, due Friday 4/12/2026: "due today" falls at 08:00 on the 4th.
ASSIGNED = datetime(2026, 11, 23, 9, 0, tzinfo=VN)
BURST = datetime(2026, 12, 4, 8, 0, tzinfo=VN)


@dataclass
class BurstResult:
    tasks: int
    nudges: int
    scan_seconds: float
    messages: int
    seconds: float  # from the first send to the last
    rate_limited: int
    unsent: int
    codes_seen: dict[str, int]

    @property
    def rate(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0


def burst_roster(units: int, people_per_unit: int = 1) -> OrgSpec:
    return OrgSpec(
        leadership_chat=-1002000000000,
        units=tuple(
            UnitSpec(f"U{i:03d}", f"Đơn vị số {i}", (), -1002000000001 - i) for i in range(units)
        ),
        people=(
            PersonSpec(800000, "Chủ tịch", Role.CHAIRMAN),
            *(
                PersonSpec(810000 + i, f"Trưởng đơn vị {i}", Role.HEAD, f"U{i:03d}")
                for i in range(units)
            ),
        ),
    )


async def run_burst(
    settings: Settings,
    tasks: int = 2000,
    units: int = 50,
    enforce_limits: bool = True,
    pacer: Pacer | None = None,
) -> BurstResult:
    clock = ManualClock(ASSIGNED)
    tg = FakeTelegram(token="123:ABC", clock=clock.now, enforce_limits=enforce_limits)
    spec = burst_roster(units)
    for person in spec.people:
        tg.add_user(person.telegram_id, person.name)
    tg.add_group(spec.leadership_chat or 0, "Lãnh đạo")
    for unit in spec.units:
        tg.add_group(unit.chat or 0, unit.name)
    live = await LiveBot.start(settings, tg, clock=clock)
    if pacer is not None:
        live.app.bot_data.pacer = pacer
    try:
        services = live.runtime.services
        await services.roster.import_org(spec)
        core = services.core
        async with core.uow() as uow:
            unit_ids = [u.id for u in await uow.units.all()]
            chairman = await uow.people.by_telegram_id(800000)
            assert chairman is not None
            for head in await uow.people.with_roles([Role.HEAD]):
                # Not by writing to the bot: it would answer all fifty heads in one second
                # and hit the very rate limits this run measures.
                tg.open_private_chat(head.telegram_id)
                await uow.people.set_can_dm(head.id, True)
            due = BURST.replace(hour=17)
            for n in range(tasks):
                number = await uow.tasks.next_number()
                task = await uow.tasks.add(
                    Task(
                        id=0,
                        code=task_code(number),
                        content=f"Nhiệm vụ thử số {number}",
                        lead_unit_id=unit_ids[n % len(unit_ids)],
                        cooperating_unit_ids=(),
                        assigner_id=chairman.id,
                        status=Status.ACKNOWLEDGED,
                        created_at=ASSIGNED,
                        original_due=due,
                        due=due,
                    )
                )
                await replan(core, uow, task, ASSIGNED)
            await uow.commit()
        await live.settled()
        before = len(tg.calls_to("sendMessage"))
        clock.set(BURST)
        started = time.monotonic()
        scan = await services.chasing.scan()
        scanned = time.monotonic()
        for _ in range(100):  # 429s and deferrals come back after their wait
            await run_once(live.app)
            async with core.uow() as uow:
                counts = await uow.deliveries.counts()
                pending_at = await uow.deliveries.next_attempt_at()
            if not counts.get("pending"):
                break
            if pending_at is not None and pending_at > clock.now():
                clock.set(pending_at)
        seconds = time.monotonic() - scanned
        sent = tg.calls_to("sendMessage")[before:]
        codes: dict[str, int] = {}
        for chat in spec.units:
            for message in tg.bot_messages(chat.chat or 0):
                for line in (message.get("text") or "").splitlines():
                    if line.startswith("• NV-"):
                        code = line.split()[1]
                        codes[code] = codes.get(code, 0) + 1
        return BurstResult(
            tasks=tasks,
            nudges=scan.nudges,
            scan_seconds=scanned - started,
            messages=len(sent),
            seconds=seconds,
            rate_limited=tg.rate_limited,
            unsent=sum(v for k, v in counts.items() if k != "sent"),
            codes_seen=codes,
        )
    finally:
        await live.stop()
