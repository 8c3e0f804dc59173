"""The sandbox's web chat: a Telegram-like page over :class:`~bot.sandbox.state.FakeTelegram`.

:class:`SandboxWeb` holds the aiohttp application: the page (``index.html``, ``app.js``,
``style.css``, files of this package) and a small JSON API the page uses:

- ``GET /api/state``: personas, chats with their messages, the sandbox clock;
- ``POST /api/send`` (multipart: ``chat_id``, ``user_id``, ``text``, ``reply_to``, ``file``);
- ``POST /api/press`` (JSON: ``chat_id``, ``message_id``, ``user_id``, ``data``): the callback
  answer comes back in the response;
- ``GET /api/files/{file_id}``: a document or photo (``?download=1`` to save it);
- ``GET /api/events``: server-sent events (``message``, ``edit``, ``delete``, ``clock``);
- ``POST /api/fast-forward``: move the sandbox clock to the next scheduled event.
"""

from bot.sandbox.web.server import SandboxWeb

__all__ = ["SandboxWeb"]
