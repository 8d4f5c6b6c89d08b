"""Storage: tables, engines and sessions, migrations, and the queries services use."""
