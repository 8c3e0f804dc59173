"""The Telegram-free, database-free heart: units, people, tasks, their rules."""
