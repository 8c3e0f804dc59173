"""Intake: turning the documents work arrives in (conclusions, directives, the annual programme)
into tasks. Pure readers live here, free of Telegram and of the database."""
