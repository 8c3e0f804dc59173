"""The services a running bot holds, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.chasing import ChasingService
from bot.services.common import Core
from bot.services.directory import DirectoryService
from bot.services.reports import ReportService
from bot.services.roster import RosterService
from bot.services.tasks import TaskService


@dataclass
class Services:
    core: Core
    tasks: TaskService
    roster: RosterService
    chasing: ChasingService
    reports: ReportService
    directory: DirectoryService

    @classmethod
    def build(cls, core: Core) -> Services:
        return cls(
            core=core,
            tasks=TaskService(core),
            roster=RosterService(core),
            chasing=ChasingService(core),
            reports=ReportService(core),
            directory=DirectoryService(core),
        )
