"""Postgres access: the connection pool, the errors that mean "the database is away", migrations."""

from careerflow_gateway.db.migrate import upgrade_database
from careerflow_gateway.db.pool import DATABASE_UNAVAILABLE, PoolExhausted, create_pool

__all__ = ["DATABASE_UNAVAILABLE", "PoolExhausted", "create_pool", "upgrade_database"]
