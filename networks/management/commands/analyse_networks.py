from django.core.management.base import BaseCommand, CommandError

from labs.models import Lab
from networks.analysis import analyse_now
from networks.graph import Scope
from networks.models import Network


class Command(BaseCommand):
    help = (
        "Compute the network analyses here and now rather than on a worker (for cron or the demo): every network, "
        "every Lab and everything public by default, or only those named."
    )

    def add_arguments(self, parser):
        parser.add_argument("--network", action="append", default=[], metavar="SLUG", help="Only this network.")
        parser.add_argument("--lab", action="append", default=[], metavar="SLUG", help="Only this Lab.")
        parser.add_argument("--all", action="store_true", help="Only everything public (with --network/--lab: too).")

    def handle(self, *args, **options):
        scopes = None
        if options["network"] or options["lab"] or options["all"]:
            networks = Network.objects.filter(slug__in=options["network"])
            labs = Lab.objects.filter(slug__in=options["lab"])
            unknown = set(options["network"]) - {network.slug for network in networks}
            unknown |= set(options["lab"]) - {lab.slug for lab in labs}
            if unknown:
                raise CommandError(f"no network or Lab with the slug {', '.join(sorted(unknown))}")
            scopes = [*(Scope(network=n) for n in networks), *(Scope(lab=lab) for lab in labs)]
            if options["all"]:
                scopes.append(Scope())
        for analysis in analyse_now(scopes):
            graph = analysis.results.get("graph", {})
            self.stdout.write(
                f"{analysis.scope}: {graph.get('nodes', 0)} organisations, {graph.get('edges', 0)} ties, "
                f"{analysis.get_status_display()}"
            )
