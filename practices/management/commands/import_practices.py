from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from conect.models import User
from labs.models import Lab
from practices import importers


class Command(BaseCommand):
    help = "Import practices from a CSV, XLSX or GeoJSON file, columns guessed as on the import page. All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--source", help="Name of the source (re-importing the same source updates). Default: file name."
        )
        parser.add_argument("--lab", help="Slug of the Lab the practices belong to.")
        parser.add_argument("--publish", action="store_true", help="Publish them at once.")
        parser.add_argument("--anywhere", action="store_true", help="Accept places outside Europe.")
        parser.add_argument("--strict", action="store_true", help="Import nothing if any row is refused.")
        parser.add_argument("--dry-run", action="store_true", help="Only say what would happen.")
        parser.add_argument("--user", help="E-mail of the person the history records as the author.")
        parser.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN", help="Override a column.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} does not exist")
        try:
            table = importers.read_table(path.read_bytes(), path.name)
        except importers.ImportFileError as error:
            raise CommandError(str(error)) from None
        mapping = importers.guess_mapping(table)
        for item in options["map"]:
            target, _, column = item.partition("=")
            if target not in importers.TARGETS or column not in table.columns:
                raise CommandError(f"--map {item}: unknown field or column")
            mapping[target] = column
        lab = Lab.objects.filter(slug=options["lab"]).first() if options["lab"] else None
        if options["lab"] and lab is None:
            raise CommandError(f"no Lab with the slug {options['lab']}")
        user = User.objects.filter(email=options["user"]).first() if options["user"] else None
        source = options["source"] or path.stem
        rows = importers.plan(table, mapping, source=source, lab=lab, europe_only=not options["anywhere"])
        counts = {a: sum(1 for r in rows if r.action == a) for a in ("create", "update", "reject")}
        self.stdout.write(f"{len(rows)} rows, columns: " + ", ".join(f"{k}={v}" for k, v in mapping.items()))
        for row in rows:
            if row.action == "reject":
                self.stdout.write(f"  row {row.number} refused ({row.title or '-'}): {' '.join(row.reasons)}")
        self.stdout.write(f"to create {counts['create']}, to update {counts['update']}, refused {counts['reject']}")
        if options["dry_run"]:
            return
        with tqdm(total=len(rows), unit="row", disable=not self.stdout.isatty()) as bar:
            try:
                summary = importers.apply(
                    rows, source=source, lab=lab, by=user, publish=options["publish"], strict=options["strict"],
                    progress=lambda n: bar.update(n - bar.n),
                )  # fmt: skip
            except importers.StrictImportRefused:
                raise CommandError("nothing imported: some rows are refused and --strict was given") from None
        self.stdout.write(
            f"imported: {summary.created} created, {summary.updated} updated, {summary.unchanged} unchanged, "
            f"{summary.rejected} refused"
        )
