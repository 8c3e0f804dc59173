"""Storage: tables, repositories (which never commit), the unit of work, engine and migrations."""
