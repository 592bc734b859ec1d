"""Pages of practices whose total is counted up to a cap: the site search and the map's result list."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from practices import models


class CappedPaginator(Paginator):
    """Counts the matches up to one more than practices.models.SEARCH_CANDIDATES (a COUNT over a LIMIT subquery, one
    scan that stops there): beyond it, `count` is the cap and `more` says there were more ("More than 1,000
    practices"), instead of a count of every match at a million practices. `counted` is what is counted, when the
    pages come from a narrower queryset; a search's RankedMatches (PracticeQuerySet.by_relevance) count themselves,
    in the query that ranks them, up to their own bound (`candidates`), which is then the cap."""

    def __init__(self, object_list, per_page, *, counted=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.counted = object_list if counted is None else counted

    @property
    def cap(self) -> int:
        if isinstance(self.counted, models.RankedMatches):
            return self.counted.candidates  # the bound they were ranked with: never "8 practices" listing 7
        return models.SEARCH_CANDIDATES  # read when counting: one constant for the search and the map's list

    @cached_property
    def _matched(self) -> int:
        if isinstance(self.counted, models.RankedMatches):
            return self.counted.count()
        return self.counted.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._matched, self.cap)

    @property
    def more(self) -> bool:
        """Whether there are more matches than the count says."""
        return self._matched > self.cap
