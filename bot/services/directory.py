"""Finding one's way: /donvi lists the units with what a newcomer needs to name them in a
command (code, name, the other names accepted), who heads each, and whether its group chat is
registered with the bot."""

from __future__ import annotations

from bot.domain.model import Role
from bot.services.common import Actor, Core, Where
from bot.services.outbox import Outcome
from bot.text import render
from bot.text.catalog import t
from bot.text.render import esc


class DirectoryService:
    def __init__(self, core: Core) -> None:
        self.core = core

    async def units(self, actor: Actor, where: Where) -> Outcome:
        """Every unit, for anyone on the roster (the codes are what every command takes)."""
        core = self.core
        async with core.uow(read_only=True) as uow:
            person = await core.person(uow, actor)
            lang = core.lang_of(person, actor)
            if person is None:
                return Outcome(t("not_registered", lang, telegram_id=actor.telegram_id))
            # The roster in memory: one query for its stamp, not one per unit for its heads.
            roster = await core.roster(uow)
            units = sorted(roster.units, key=lambda u: u.code)
            heads = {u.id: roster.of_unit(u.id, [Role.HEAD]) for u in units}
            leadership = await core.leadership_chat(uow)
        if not units:
            return Outcome(t("donvi.empty", lang))
        lines = []
        for unit in units:
            lines.append(t("donvi.unit", lang, code=esc(unit.code), name=render.unit_name(unit)))
            details = []
            if unit.aliases:
                details.append(t("donvi.aliases", lang, names=esc(", ".join(unit.aliases))))
            names = ", ".join(esc(p.name) for p in heads[unit.id])
            details.append(t("donvi.head", lang, who=names) if names else t("donvi.no_head", lang))
            details.append(
                t("donvi.group", lang)
                if unit.chat_id is not None
                else t("donvi.no_group", lang, code=esc(unit.code))
            )
            lines.append("   " + " · ".join(details))
        title = t("donvi.title", lang, count=len(units))
        foot = t("donvi.leadership" if leadership else "donvi.no_leadership", lang)
        example = t("donvi.example", lang, code=esc(units[0].code))
        return Outcome(render.fit([title], [*lines, "", foot, example], lang))
