"""The 08:00 burst: thousands of tasks falling due at one opening, delivered through a stand-in
that enforces Telegram's limits. Shared by the test (correctness) and bench/ (the rate)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text as sql

from bot.app import open_runtime
from bot.clock import ManualClock
from bot.config import Settings, load_settings
from bot.db.engine import create_engine
from bot.db.migrate import upgrade
from bot.db.uow import UnitOfWork
from bot.domain.model import Role, Status, Task
from bot.domain.orgfile import OrgSpec, PersonSpec, UnitSpec
from bot.sandbox.live import LiveBot
from bot.sandbox.processes import STAND_IN_TOKEN
from bot.sandbox.state import FakeTelegram
from bot.services.common import Core
from bot.services.planning import replan
from bot.services.tasks import task_code
from scheduler.jobs import run_once
from scheduler.pacer import Pacer

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Assigned Monday 23/11/2026, due Friday 4/12/2026: "due today" falls at 08:00 on the 4th.
ASSIGNED = datetime(2026, 11, 23, 9, 0, tzinfo=VN)
BURST = datetime(2026, 12, 4, 8, 0, tzinfo=VN)


MAX_ROUNDS = 1000  # scheduler passes before the harness gives up (and says so)
POLL = 0.05  # seconds: a shorter wait is the sender polling, slept in real time


class BurstClock:
    """The burst's one time line, read by the bot, the pacer and the stand-in's flood limits.
    It stands still while the tasks are set up; from the burst on it runs with real time, and
    skips ahead where the bot would only wait (a chat's next slot, a deferred row's next
    attempt). All three see the same skip, so minutes of Telegram's per-group limit pass in
    milliseconds without the pacer and the stand-in disagreeing about what a minute is."""

    def __init__(self, start: datetime) -> None:
        self._base = start.astimezone(UTC)
        self._started: float | None = None
        self._skipped = 0.0
        # Whether a message the pacer let go has yet to come back: the bot is not idle then
        # (its answer wakes the sender), so time is not skipped under it.
        self.in_flight: Callable[[], bool] = lambda: False

    def now(self) -> datetime:
        return self._base + timedelta(seconds=self.monotonic())

    def monotonic(self) -> float:
        if self._started is None:
            return 0.0
        return time.monotonic() - self._started + self._skipped

    def set(self, moment: datetime) -> None:
        assert self._started is None, "set the moment before the clock runs"
        self._base = moment.astimezone(UTC)

    def run(self) -> None:
        self._started = time.monotonic()

    def skip_to(self, moment: datetime) -> None:
        ahead = (moment - self.now()).total_seconds()
        if ahead > 0:
            self._skipped += ahead

    async def sleep(self, seconds: float) -> None:
        if seconds <= POLL:
            # Waiting for a send in flight (real work): skipping would run time ahead of it.
            await asyncio.sleep(seconds)
            return
        wake = self.now() + timedelta(seconds=seconds)
        # Sends already on their way come back first, as they would while the bot really
        # slept: skipping under them would age them by the skip and bunch them with the next
        # ones, and the sender, woken by an answer, may have more to send before the wake-up.
        deadline = time.monotonic() + 5.0
        while self.in_flight() and time.monotonic() < deadline:
            await asyncio.sleep(0.001)
        # Concurrent sleepers each move time to their own wake-up, never by the sum.
        self.skip_to(wake)
        await asyncio.sleep(0)


@dataclass
class BurstResult:
    tasks: int
    nudges: int
    scan_seconds: float
    messages: int  # sendMessage calls, the ones refused with 429 included
    seconds: float  # on the burst's time line, from the end of the scan to the last send
    wall_seconds: float  # the same in real time (the waits skipped)
    rate_limited: int
    unsent: int
    deferred: int  # rows handed back to the queue to wait for their chat's budget
    rounds: int  # scheduler passes
    codes_seen: dict[str, int]
    sent_dates: dict[int, list[int]]  # chat → the dates (s) of the bot's messages there

    @property
    def delivered(self) -> int:
        return self.messages - self.rate_limited

    @property
    def rate(self) -> float:
        return self.delivered / self.seconds if self.seconds else 0.0


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


async def add_due_tasks(
    core: Core, uow: UnitOfWork, count: int, unit_ids: list[int], assigner_id: int
) -> None:
    """`count` acknowledged tasks, assigned on ASSIGNED and due at 17:00 on the burst's day,
    spread over `unit_ids` in turn, each with its nudges planned: the 08:00 burst's work."""
    due = BURST.replace(hour=17)
    for n in range(count):
        number = await uow.tasks.next_number()
        task = await uow.tasks.add(
            Task(
                id=0,
                code=task_code(number),
                content=f"Nhiệm vụ thử số {number}",
                lead_unit_id=unit_ids[n % len(unit_ids)],
                cooperating_unit_ids=(),
                assigner_id=assigner_id,
                status=Status.ACKNOWLEDGED,
                created_at=ASSIGNED,
                original_due=due,
                due=due,
            )
        )
        await replan(core, uow, task, ASSIGNED)


def add_roster_to(tg: FakeTelegram, spec: OrgSpec) -> None:
    """The roster's people and groups, as Telegram knows them."""
    for person in spec.people:
        tg.add_user(person.telegram_id, person.name)
    tg.add_group(spec.leadership_chat or 0, "Lãnh đạo")
    for unit in spec.units:
        tg.add_group(unit.chat or 0, unit.name)


async def seed_due_tasks(database_url: str, units: int, tasks: int) -> None:
    """A database for `dondoc run` processes to burst from: migrated, the roster of `units`
    units, and `tasks` acknowledged tasks "due today" at 08:00 on the burst's day."""
    await asyncio.to_thread(upgrade, database_url)
    settings = load_settings(
        TELEGRAM_BOT_TOKEN=STAND_IN_TOKEN, DATABASE_URL=database_url, _env_file=None
    )
    runtime = open_runtime(settings, clock=ManualClock(ASSIGNED))
    try:
        services = runtime.services
        await services.roster.import_org(burst_roster(units))
        core = services.core
        async with core.uow() as uow:
            unit_ids = [u.id for u in await uow.units.all()]
            [chairman] = await uow.people.with_roles([Role.CHAIRMAN])
            await add_due_tasks(core, uow, tasks, unit_ids, chairman.id)
            await uow.commit()
    finally:
        await runtime.close()


async def deliveries_by_state(database_url: str) -> dict[str, int]:
    """The outbox's rows per state, read from outside the processes."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(sql("SELECT state, count(*) FROM deliveries GROUP BY state"))
            return {state: int(n) for state, n in rows}
    finally:
        await engine.dispose()


def tasks_named(
    tg: FakeTelegram, spec: OrgSpec, mark: str | None = None
) -> tuple[dict[str, int], dict[str, int]]:
    """How often each task code was named in the units' groups ("• NV-0001 …" lines): in plain
    messages, and in those carrying `mark` (a resend's)."""
    plain: dict[str, int] = {}
    marked: dict[str, int] = {}
    for unit in spec.units:
        for message in tg.bot_messages(unit.chat or 0):
            text = message.get("text") or ""
            tally = marked if mark is not None and mark in text else plain
            for line in text.splitlines():
                if line.startswith("• NV-"):
                    code = line.split()[1]
                    tally[code] = tally.get(code, 0) + 1
    return plain, marked


async def run_burst(
    settings: Settings,
    tasks: int = 2000,
    units: int = 50,
    enforce_limits: bool = True,
    baseline: bool = False,
) -> BurstResult:
    """`baseline`: a sender without pacing (it learns the limits from the 429s)."""
    clock = BurstClock(ASSIGNED)
    tg = FakeTelegram(
        token="123:ABC",
        clock=clock.now,
        monotonic=clock.monotonic,
        enforce_limits=enforce_limits,
    )
    spec = burst_roster(units)
    for person in spec.people:
        tg.add_user(person.telegram_id, person.name)
    tg.add_group(spec.leadership_chat or 0, "Lãnh đạo")
    for unit in spec.units:
        tg.add_group(unit.chat or 0, unit.name)
    live = await LiveBot.start(settings, tg, clock=clock)
    pacer = Pacer(monotonic=clock.monotonic, sleep=clock.sleep)
    if baseline:
        pacer = Pacer(10_000, 10_000, 0.0, monotonic=clock.monotonic, sleep=clock.sleep)
    live.app.bot_data.pacer = pacer
    clock.in_flight = lambda: pacer.in_air > 0
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
            await add_due_tasks(core, uow, tasks, unit_ids, chairman.id)
            await uow.commit()
        await live.settled()
        before = len(tg.calls_to("sendMessage"))
        clock.set(BURST)
        clock.run()
        started = time.monotonic()
        scan = await services.chasing.scan()
        scanned, scanned_at = time.monotonic(), clock.monotonic()
        deferred = rounds = 0
        while True:  # 429s and deferrals come back after their wait
            rounds += 1
            deferred += (await run_once(live.app)).delivery.deferred
            async with core.uow() as uow:
                counts = await uow.deliveries.counts()
                pending_at = await uow.deliveries.next_attempt_at()
            if not counts.get("pending"):
                break
            if rounds >= MAX_ROUNDS:
                raise RuntimeError(f"still pending after {rounds} passes: {counts}")
            if pending_at is not None:
                clock.skip_to(pending_at)
        wall = time.monotonic() - scanned
        seconds = clock.monotonic() - scanned_at
        sent = tg.calls_to("sendMessage")[before:]
        codes: dict[str, int] = {}
        dates: dict[int, list[int]] = {}
        for chat_id in [u.chat or 0 for u in spec.units] + [p.telegram_id for p in spec.people]:
            dates[chat_id] = [m["date"] for m in tg.bot_messages(chat_id)]
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
            wall_seconds=wall,
            rate_limited=tg.rate_limited,
            unsent=sum(v for k, v in counts.items() if k != "sent"),
            deferred=deferred,
            rounds=rounds,
            codes_seen=codes,
            sent_dates=dates,
        )
    finally:
        await live.stop()
