"""Demo data of the practices app: the initiatives of the SUSY map (public domain), published, imported once."""

from pathlib import Path

from practices import importers
from practices.models import Practice

SUSY_FILE = Path(__file__).resolve().parent / "data" / "susy-ssedas.geojson"
SUSY_SOURCE = "susy-ssedas"


def load(*, with_imports: bool = True) -> None:
    """The 1,794 initiatives of the SUSY map (public domain), published, once: a real map from the first run."""
    if not with_imports or Practice.objects.filter(source=SUSY_SOURCE).exists():
        return
    table = importers.read_table(SUSY_FILE.read_bytes(), SUSY_FILE.name)
    rows = importers.plan(table, importers.guess_mapping(table), source=SUSY_SOURCE)
    importers.apply(rows, source=SUSY_SOURCE, lab=None, by=None, publish=True, strict=False)
