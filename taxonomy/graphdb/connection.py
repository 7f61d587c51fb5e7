"""Where a Neo4j store is and how to reach it: URIs, credentials, the driver, and clear errors."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from taxonomy.errors import InputError, StoreError
from taxonomy.extras import require
from taxonomy.graphdb import cypher
from taxonomy.locations import NEO4J_SCHEMES

if TYPE_CHECKING:
    import neo4j

DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"
PASSWORD_ENV = "NEO4J_PASSWORD"  # noqa: S105 (the name of a variable, not a password)


@dataclass(frozen=True, slots=True)
class Target:
    """A Neo4j database: the server's URI (without user or path), the user and the database."""

    uri: str
    user: str = DEFAULT_USER
    database: str = DEFAULT_DATABASE
    password_env: str = PASSWORD_ENV

    @classmethod
    def parse(cls, location: str, *, user: str | None = None, database: str | None = None,
              password_env: str | None = None) -> Target:
        """``neo4j://[USER@]HOST[:PORT][/DATABASE]``; the password never goes in the URI."""
        parts = urlsplit(location)
        scheme = parts.scheme.lower()
        if scheme not in NEO4J_SCHEMES:
            raise InputError(f"{location!r} is not a Neo4j URI; use neo4j://HOST:7687 or bolt://HOST:7687")
        if parts.password is not None:
            raise InputError("put the Neo4j password in an environment variable "
                             f"(${password_env or PASSWORD_ENV}), not in the URI")
        if not parts.hostname:
            raise InputError(f"{location!r} names no host; use neo4j://HOST:7687")
        try:
            port = parts.port
        except ValueError:
            raise InputError(f"{location!r} has a bad port; use neo4j://HOST:7687") from None
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        path_database = unquote(parts.path.strip("/")) or None
        return cls(
            uri=f"{scheme}://{host}:{port or 7687}",
            user=user or (unquote(parts.username) if parts.username else DEFAULT_USER),
            database=database or path_database or DEFAULT_DATABASE,
            password_env=password_env or PASSWORD_ENV,
        )

    def __str__(self) -> str:
        return f"{self.uri}/{self.database} as {self.user!r}"

    def password(self) -> str:
        password = os.environ.get(self.password_env)
        if not password:
            raise InputError(f"set the Neo4j password of user {self.user!r} in ${self.password_env}")
        return password


def _driver_module() -> Any:
    return require("neo4j", "neo4j", "Neo4j support")


def connect(target: Target) -> neo4j.Driver:
    """A driver to the target that has answered once, or a StoreError that says what to do."""
    driver: neo4j.Driver = _driver_module().GraphDatabase.driver(target.uri, auth=(target.user, target.password()),
                                        connection_timeout=10.0, max_transaction_retry_time=15.0,
                                        notifications_min_severity="OFF")  # "no such property yet" on a new db
    try:
        with translate_errors(target):
            driver.verify_connectivity()
            driver.execute_query(cypher.PING, database_=target.database)
    except BaseException:
        driver.close()
        raise
    return driver


@contextmanager
def translate_errors(target: Target) -> Iterator[None]:
    """Turn the driver's exceptions into errors that say what was wrong and what to do."""
    exceptions = _driver_module().exceptions
    try:
        yield
    except exceptions.AuthError:
        raise StoreError(f"Neo4j at {target.uri} refused user {target.user!r}: wrong user or password "
                         f"(the password is read from ${target.password_env})") from None
    except exceptions.ServiceUnavailable as error:
        raise StoreError(f"no Neo4j server answers at {target.uri} ({_first_line(error)}); "
                         "is it running, and is the host and port right?") from None
    except exceptions.ClientError as error:
        code = getattr(error, "code", "") or ""
        if code.endswith("DatabaseNotFound"):
            raise StoreError(f"Neo4j at {target.uri} has no database {target.database!r}; "
                             "create it, or name another with --database (Community Edition has only 'neo4j')"
                             ) from None
        if "Security" in code:
            raise StoreError(f"Neo4j refused user {target.user!r} on {target.database!r}: "
                             f"{_first_line(error)}") from None
        raise
    except exceptions.DriverError as error:
        raise StoreError(f"Neo4j at {target.uri}: {_first_line(error)}") from None


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "message", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__
