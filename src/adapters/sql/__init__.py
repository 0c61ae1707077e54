"""SQL persistence (Postgres or SQLite): models, migrations, repositories and the catalog source."""
