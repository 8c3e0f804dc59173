"""The `dondoc` console command run as a person runs it: in a subprocess, in a folder of its own,
on a real SQLite file, with none of the developer's TELEGRAM_/DONDOC_ settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).parent / "dondoc"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot"]


class Cli:
    def __init__(self, tmp_path: Path, language: str | None = None) -> None:
        self.cwd = tmp_path
        self.db = tmp_path / "data" / "cli.db"
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("TELEGRAM_", "DONDOC_", "DATABASE_URL"))
        }
        self.env["DATABASE_URL"] = f"sqlite+aiosqlite:///{self.db}"
        self.env["PYTHONIOENCODING"] = "utf-8"
        # This checkout's code, not whatever the environment installed (another worktree's).
        self.env["PYTHONPATH"] = str(ROOT)
        if language is not None:
            self.env["DONDOC_LANGUAGE"] = language

    def __call__(
        self, *args: str, answer: str = "", **env: str
    ) -> subprocess.CompletedProcess[str]:
        """Run `dondoc args…`; `answer` is what the person types at a prompt."""
        return subprocess.run(
            [*COMMAND, *args],
            cwd=self.cwd,
            env={**self.env, **env},
            input=answer,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            check=False,
        )

    def write(self, name: str, text: str) -> Path:
        path = self.cwd / name
        path.write_text(text, encoding="utf-8")
        return path

    def files(self) -> list[str]:
        return sorted(str(p.relative_to(self.cwd)) for p in self.cwd.rglob("*"))
