"""Real `dondoc run` processes against the stand-in: started with the environment a deployment
would give them, their output in a file, stopped as an operator stops them (SIGINT) or killed.
Shared by the end-to-end tests (a kill -9, several instances, webhook mode) and bench/."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path

STAND_IN_TOKEN = "123:ABC"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Run:
    """One `dondoc run` process, its output in a file (a pipe nobody reads would fill up)."""

    process: asyncio.subprocess.Process
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    async def wait_for(self, needle: str, timeout: float = 60) -> str:
        async with asyncio.timeout(timeout):
            while needle not in (out := self.output()):
                if self.process.returncode is not None:
                    break
                await asyncio.sleep(0.05)
        return out

    async def stop(self) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGINT)
        return await asyncio.wait_for(self.process.wait(), timeout=30)


@dataclass
class Runs:
    """The processes of one test or bench run: each started in `tmp` on the stand-in at `url`
    and the database at `database_url`; `close` kills whatever is still running."""

    tmp: Path
    url: str
    database_url: str
    token: str = STAND_IN_TOKEN
    name: str = "run"  # the logs' names: <name>-<n>.log
    started: list[Run] = field(default_factory=list)

    async def start(self, **settings: str) -> Run:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DONDOC_"))
        } | {
            "TELEGRAM_BOT_TOKEN": self.token,
            "TELEGRAM_API_URL": self.url,
            "DATABASE_URL": self.database_url,
            **settings,
        }
        log = self.tmp / f"{self.name}-{len(self.started)}.log"
        with log.open("wb") as out:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=self.tmp,
                env=env,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
            )
        run = Run(process, log)
        self.started.append(run)
        return run

    async def close(self) -> None:
        for run in self.started:
            if run.process.returncode is None:
                run.process.kill()
                await run.process.wait()
