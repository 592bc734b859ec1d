"""Reads to a streaming read replica, everything else to the primary (settings: DATABASE_REPLICA_URL).

Only a web request reads from the replica, and only while its client is not pinned to the primary: the middleware
`conect.middleware.read_your_writes` opens that window for each request (`reads_from_replica()`) and pins a client
for REPLICA_PIN_SECONDS after a request that wrote (or until the replica has replayed the writer's last WAL position,
whichever comes first). Everything else (task workers, management commands, the shell, migrations) reads from the
primary, as does anything inside `transaction.atomic` on the primary: a transaction never mixes what it changed with
a replica's older view.
"""

import contextlib
import logging
import time
from collections.abc import Iterator
from contextvars import ContextVar

from django.db import OperationalError, connections

PRIMARY = "default"
REPLICA = "replica"

# Outside a request the answer is always the primary: a worker or command never reads a lagging copy.
_replica_allowed: ContextVar[bool] = ContextVar("conect_replica_allowed", default=False)

# A replica that refused a connection is not asked again for this long: reads go to the primary meanwhile.
REPLICA_RETRY_SECONDS = 30
_replica_down_until = 0.0
logger = logging.getLogger(__name__)


@contextlib.contextmanager
def reads_from_replica(allowed: bool = True) -> Iterator[None]:
    """Within the block, reads outside a transaction go to the replica (allowed=False: to the primary)."""
    token = _replica_allowed.set(allowed)
    try:
        yield
    finally:
        _replica_allowed.reset(token)


def pin_to_primary() -> None:
    """From here to the end of the current request (or block), read from the primary: it has just been written."""
    _replica_allowed.set(False)


def read_alias() -> str:
    """The database that a read made now goes to: the primary when the replica cannot be reached."""
    if not _replica_allowed.get() or REPLICA not in connections.settings:
        return PRIMARY
    if connections[PRIMARY].in_atomic_block:
        return PRIMARY
    return REPLICA if replica_reachable() else PRIMARY


def read_connection():
    """The connection a read made now goes to, for raw SQL (the map's tiles and version): what the router gives a
    model's queryset, so raw reads follow the same rules (the replica for a visitor, the primary when pinned)."""
    return connections[read_alias()]


def replica_reachable() -> bool:
    """Whether the replica takes connections (this process's connection to it is open, or opens now). A refusal is
    logged once and remembered for REPLICA_RETRY_SECONDS: reads fall back to the primary, never to an error."""
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    replica = connections[REPLICA]
    if replica.connection is not None:
        return True
    try:
        replica.ensure_connection()
    except OperationalError as error:
        if not _replica_down_until:
            logger.warning("The read replica is unreachable, reading from the primary: %s", error)
        _replica_down_until = time.monotonic() + REPLICA_RETRY_SECONDS
        return False
    if _replica_down_until:
        logger.warning("The read replica is reachable again.")
    _replica_down_until = 0.0
    return True


class PrimaryReplicaRouter:
    """Reads through read_alias(), writes and migrations on the primary, relations allowed across both."""

    def db_for_read(self, model, **hints) -> str:
        return read_alias()

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replica is a copy of the primary: an object read from one may point at an object read from the other.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        # A replica replays the primary's WAL, schema included; it refuses writes of its own.
        return db == PRIMARY
