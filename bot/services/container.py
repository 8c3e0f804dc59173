"""The services a running bot holds, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.chasing import ChasingService
from bot.services.common import Core
from bot.services.directory import DirectoryService
from bot.services.drafts import DraftService
from bot.services.duescan import DueScan
from bot.services.ops import OpsService
from bot.services.programme import ProgrammeService
from bot.services.reports import ReportService
from bot.services.roster import RosterService
from bot.services.series import SeriesService
from bot.services.tasks import TaskService


@dataclass
class Services:
    core: Core
    tasks: TaskService
    roster: RosterService
    chasing: ChasingService
    reports: ReportService
    programme: ProgrammeService
    drafts: DraftService
    series: SeriesService
    directory: DirectoryService
    ops: OpsService
    due_scan: DueScan

    @classmethod
    def build(cls, core: Core) -> Services:
        tasks = TaskService(core)
        series = SeriesService(core, tasks)
        tasks.recurring = series  # /giao hands a recurring deadline to the series
        chasing = ChasingService(core)
        reports = ReportService(core)
        programme = ProgrammeService(core, tasks)
        drafts = DraftService(core, tasks)
        return cls(
            core=core,
            tasks=tasks,
            roster=RosterService(core),
            chasing=chasing,
            reports=reports,
            programme=programme,
            drafts=drafts,
            series=series,
            directory=DirectoryService(core),
            ops=OpsService(core),
            due_scan=DueScan(core, series, chasing, programme, drafts, reports),
        )
