from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from conect.models import User
from labs.models import Lab
from practices import importers, services
from practices.models import ImportJob, ImportRow


class Command(BaseCommand):
    help = (
        "Import practices from a CSV, XLSX or GeoJSON file, as the import page does (columns guessed, a dry run, then "
        "all or nothing), here and now rather than on a worker. The job is kept, like the page's."
    )

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
        parser.add_argument(
            "--user", help="E-mail of the person the history records as the author (who must be allowed to import)."
        )
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
        if options["user"] and user is None:
            raise CommandError(f"no user with the e-mail {options['user']}")
        with path.open("rb") as handle:
            job = services.create_import(
                by=user, content=File(handle), filename=path.name, lab=lab, source=options["source"] or "",
                publish=options["publish"], europe_only=not options["anywhere"], strict=options["strict"],
                mapping=mapping,
            )  # fmt: skip
        self._run(job, ImportJob.Step.PLAN)
        self.stdout.write(f"{len(table.rows)} rows, columns: " + ", ".join(f"{k}={v}" for k, v in mapping.items()))
        for row in job.rows.filter(action=ImportRow.Action.REJECT):
            self.stdout.write(f"  row {row.number} refused ({row.title or '-'}): {' '.join(row.reasons)}")
        counts = job.counts
        self.stdout.write(f"to create {counts['create']}, to update {counts['update']}, refused {counts['reject']}")
        if options["dry_run"]:
            return
        self._run(job, ImportJob.Step.APPLY)
        report = job.report
        self.stdout.write(
            f"imported: {report['created']} created, {report['updated']} updated, {report['unchanged']} unchanged, "
            f"{report['rejected']} refused"
        )

    def _run(self, job: ImportJob, step: str) -> None:
        """Run a step of the job as a worker would, with a progress bar on a terminal; stop on its failure."""
        with tqdm(unit="row", disable=not self.stdout.isatty()) as bar:

            def echo(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            services.run_step(job, step, echo=echo)
        expected = ImportJob.Status.PLANNED if step == ImportJob.Step.PLAN else ImportJob.Status.IMPORTED
        if job.status != expected:
            raise CommandError(f"import job {job.pk}: {job.error}")
