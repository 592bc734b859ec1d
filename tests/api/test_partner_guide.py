"""The partner guide (docs/partners.md) is true of the code: its Python sync example, run as written against a
live server, gets every published practice changed since a date, and the archived ones as gone."""

import re
from pathlib import Path

import pytest

from labs.moderation import ModerationState
from tests.factories import make_practice

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "partners.md"

pytestmark = pytest.mark.django_db(transaction=True)


def guide_example(name: str) -> dict:
    """The namespace of the guide's Python block marked <!-- partner-guide: name -->."""
    match = re.search(rf"<!-- partner-guide: {name} -->\s*```python\n(.*?)```", GUIDE.read_text(), re.S)
    namespace: dict = {}
    exec(compile(match.group(1), str(GUIDE), "exec"), namespace)  # noqa: S102 - our own guide's example
    return namespace


def test_the_guide_s_sync_example_gets_the_changed_practices_and_the_gone_ones(live_server, lab):
    published = make_practice(lab=lab, title="Mensa")
    archived = make_practice(lab=lab, title="Orto")
    make_practice(lab=lab, title="Bozza", state=ModerationState.DRAFT)
    archived.state = ModerationState.ARCHIVED
    archived.save()
    changed, gone = guide_example("sync")["sync"](live_server.url, "2000-01-01T00:00:00Z")
    assert set(changed) == {published.slug}
    assert changed[published.slug]["title"] == "Mensa"
    assert gone in (set(), {archived.slug})
