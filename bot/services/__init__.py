"""Use cases: each opens a unit of work, applies the rules, records events, commits, and returns
what to tell whom as neutral outgoing messages (no Telegram types)."""
