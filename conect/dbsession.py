"""The session settings every connection of ours must have, checked when it opens.

conect/settings.py asks for them in the start-up packet (`-c jit=off -c max_parallel_workers_per_gather=0
-c synchronize_seqscans=off`), which costs no query. But a DATABASE_URL with its own `?options=` replaces them, and a
pooler told to ignore start-up parameters (PgBouncer's `ignore_startup_parameters = options`) drops them without a
word. Two of them decide results, not only speed: a search that stops at its first 1,001 matches
(practices.models.RankedMatches) finds the same ones on every request only when a table scan starts at the table's
first page (no synchronized scan) and runs in one process (no parallel workers); else page 2 may repeat page 1. So
each new connection (one in DATABASE_CONN_MAX_AGE seconds per process) reads them in one query and, when the start-up
packet did not set them, sets them for the session and says so once in the log. Behind a pooler in transaction mode
a session's SET does not stay with the client: set them on the role there (README "Production layout").
"""

import logging

logger = logging.getLogger(__name__)

# The settings that decide results, and their required values (as SHOW prints them).
REQUIRED = {"synchronize_seqscans": "off", "max_parallel_workers_per_gather": "0"}
_warned: set[str] = set()


def require_session_settings(sender, connection, **kwargs) -> None:
    """connection_created: REQUIRED in force on this new connection."""
    if connection.vendor != "postgresql":
        return
    names = list(REQUIRED)
    with connection.connection.cursor() as cursor:  # the driver's cursor: not a query of the request's count
        cursor.execute("SELECT " + ", ".join("current_setting(%s)" for _ in names), names)
        found = dict(zip(names, cursor.fetchone(), strict=True))
        wrong = {name: value for name, value in REQUIRED.items() if found[name] != value}
        if not wrong:
            return
        cursor.execute(
            "SELECT " + ", ".join("set_config(%s, %s, false)" for _ in wrong), [v for kv in wrong.items() for v in kv]
        )
    if connection.alias not in _warned:
        _warned.add(connection.alias)
        logger.warning(
            "Database %s: the start-up options did not set %s; set for each session instead (README)",
            connection.alias,
            ", ".join(f"{name}={value}" for name, value in wrong.items()),
        )
