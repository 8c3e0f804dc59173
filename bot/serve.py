"""`dondoc run` in webhook mode, and the HTTP server and leader election around the Application.

Webhook mode runs the Application by hand (initialize, post_init, start … stop, shutdown) rather
than with PTB's run_webhook, whose server is tornado's: the webhook, /healthz and /metrics share
one aiohttp server (handlers/web.py). With PostgreSQL, several instances may serve one bot
behind a load balancer: each handles the updates it is given, and the one that wins the
election (bot/db/instance.py) runs the scheduled work."""

from __future__ import annotations

import asyncio
import logging
import signal

from telegram.error import TelegramError

from bot.config import Settings
from bot.db.instance import Election, InstanceLock
from handlers.context import DondocApp
from scheduler import jobs

log = logging.getLogger("dondoc")


def with_health_server(app: DondocApp, settings: Settings) -> None:
    """Polling mode: /healthz and /metrics on DONDOC_HEALTH_PORT, up once the bot runs."""
    if settings.health_port is None:
        return
    from handlers.web import WebServer  # aiohttp: only when a web server is asked for

    server = WebServer(app, settings.health_listen, settings.health_port)
    started = app.post_init

    async def post_init(application: DondocApp) -> None:
        if started is not None:
            await started(application)
        port = await server.start()
        log.info("health: http://%s:%s/healthz and /metrics", settings.health_listen, port)

    app.post_init = post_init
    app.bot_data.on_shutdown.append(server.stop)


def follow_lock(app: DondocApp, lock: InstanceLock) -> None:
    """Polling mode on PostgreSQL: the scheduler's lock lives as long as its database session.
    If the session breaks (the database restarted), the scheduled work stops until the lock is
    taken again; then what was left claimed or in flight is taken back first, as on a start."""
    started = app.post_init

    async def post_init(application: DondocApp) -> None:
        if started is not None:
            await started(application)
        loop = asyncio.get_running_loop()

        def changed(held: bool) -> None:
            loop.call_soon_threadsafe(_lead, app, held)

        lock.watch(changed)
        if not lock.held:
            loop.call_soon_threadsafe(_lead, app, False)

    app.post_init = post_init


def _lead(app: DondocApp, leading: bool) -> None:
    data = app.bot_data
    if leading:
        # The rows the previous leader left claimed or in flight are taken back first.
        data.recover_first = True
        data.leader = True
        log.info("this instance now runs the scheduled work (leader)")
        # At once, not at the next tick: a dead leader's burst resumes now.
        app.create_task(jobs.run_once(app), name="takeover-scan")
    else:
        data.leader = False
        log.warning("this instance no longer runs the scheduled work (not the leader)")


async def serve_polling(app: DondocApp) -> None:
    """Polling until SIGINT or SIGTERM, or another program polling the bot (409).

    By hand, in one asyncio.run, rather than with PTB's run_polling: that runs each start-up
    step in a run_until_complete of its own and stops on a signal by raising SystemExit out of
    the loop. A signal that came in the loop turn in which a step finished left that step's
    loop.stop() queued, and the next run_until_complete (the shutdown's updater.stop) ended at
    once: "Event loop stopped before Future completed", a traceback and exit code 1 instead of
    a clean stop (seen under load when Ctrl-C came right after the start)."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    app.bot_data.stop = stop.set  # handlers/errors.py: a 409 ends the run
    updater = app.updater
    assert updater is not None

    def fetch_failed(exc: TelegramError) -> None:
        # As run_polling: a failed getUpdates goes to the error handler (the 409 above).
        app.create_task(app.process_error(error=exc, update=None))

    try:
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        if not stop.is_set():
            await updater.start_polling(drop_pending_updates=False, error_callback=fetch_failed)
            await app.start()
            await stop.wait()
    finally:
        if updater.running:
            await updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


async def serve_webhook(app: DondocApp, settings: Settings, elect: bool) -> None:
    """Until SIGINT or SIGTERM. `elect`: one of several instances on PostgreSQL."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if elect:
        app.bot_data.leader = False  # until elected: post_init must not recover anything
    election: Election | None = None
    assert settings.webhook_url is not None
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        from handlers.web import WebServer

        server = WebServer(
            app,
            settings.webhook_listen,
            settings.webhook_port,
            webhook_path=settings.webhook_path,
            secret=settings.secret,
        )
        port = await server.start()
        try:
            await app.bot.set_webhook(
                settings.webhook_url, secret_token=settings.secret, drop_pending_updates=False
            )
            await app.start()
            log.info(
                "webhook: %s → http://%s:%s%s (also /healthz, /metrics)",
                settings.webhook_url,
                settings.webhook_listen,
                port,
                settings.webhook_path,
            )
            if elect:

                def changed(leading: bool) -> None:
                    loop.call_soon_threadsafe(_lead, app, leading)

                def woken() -> None:
                    loop.call_soon_threadsafe(lambda: app.create_task(jobs.kick(app)))

                election = Election(settings.database_url, changed, on_wake=woken)
                election.start()
                log.info("several instances on PostgreSQL: waiting for the lead, or following")
            await stop.wait()
        finally:
            if election is not None:
                await asyncio.to_thread(election.stop)
            # The webhook stays set: other instances, or this one restarted, take the updates
            # that Telegram holds meanwhile.
            await server.stop()
            if app.running:
                await app.stop()
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
