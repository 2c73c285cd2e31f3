"""The session's real PostgreSQL and Redis servers start, answer, and listen on loopback only."""

from __future__ import annotations

import psycopg
import pytest
import redis


@pytest.mark.postgres
def test_postgres_fixture_serves_a_database_that_answers_queries(postgres_url: str) -> None:
    assert postgres_url.startswith("postgresql+psycopg://")
    assert "@127.0.0.1:" in postgres_url
    # psycopg takes the libpq form of the URL, without SQLAlchemy's driver suffix.
    with psycopg.connect(postgres_url.replace("+psycopg", ""), connect_timeout=10) as conn:
        row = conn.execute("select 1, current_database(), current_setting('listen_addresses')")
        assert row.fetchone() == (1, "casenotes_test", "127.0.0.1")


def test_redis_fixture_serves_a_server_that_answers_ping(redis_url: str) -> None:
    assert redis_url.startswith("redis://127.0.0.1:")
    client = redis.Redis.from_url(redis_url, socket_timeout=10)
    try:
        assert client.ping() is True
        client.set("casenotes:test", "ok")
        assert client.get("casenotes:test") == b"ok"
    finally:
        client.close()
