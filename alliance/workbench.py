"""The secretariat's workbench: the admin index's counts of what waits to be done, and the charts a secretary
shows a council.

The root app knows no domain model. Each domain app registers, in its AppConfig.ready(), its counts (a model
with the changelist filters that pick the waiting rows) and its charts (a read of its own, by alliance ids). A
count is read through the model's admin queryset, so it holds exactly the rows of the changelist it links to:
the staff member's alliances only, every alliance for a superuser.
"""

from django.utils.translation import gettext
import dataclasses
from collections.abc import Callable
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from .documents import DocumentStatus


@dataclasses.dataclass(frozen=True)
class Count:
    label: str
    model: type
    filters: Callable  # today -> {lookup: value or list of values}, the changelist's query string
    order: int
    # queryset -> [(text, deadline or None)], the rows listed under the count (the motions in vote)
    items: Callable | None = None


@dataclasses.dataclass(frozen=True)
class Chart:
    title: str
    series: tuple  # the names of the bars each row has
    rows: Callable  # (alliance_ids, today) -> [(label, (value per series))]
    order: int


# By label and by title: registering one again replaces it.
_counts = {}
_charts = {}


def count_register(label, model, *, filters, order, items=None):
    _counts[label] = Count(label, model, filters, order, items)


def chart_register(title, *, series, rows, order):
    _charts[title] = Chart(title, tuple(series), rows, order)


def _query(filters):
    """The lookups for the queryset and the changelist's query string (a list joined as Django's admin splits
    an ``__in`` lookup)."""
    return filters, urlencode({
        key: ",".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
        for key, value in filters.items()
    })


def counts_for(request, admin_site):
    """The counts the user's admins show, each with its changelist link (and its listed rows)."""
    today = timezone.localdate()
    shown = []
    for count in sorted(_counts.values(), key=lambda c: c.order):
        model_admin = admin_site._registry.get(count.model)
        if model_admin is None or not model_admin.has_view_permission(request):
            continue
        lookups, query = _query(count.filters(today))
        rows = model_admin.get_queryset(request).filter(**lookups)
        opts = count.model._meta
        shown.append({
            "label": count.label,
            "number": rows.count(),
            "url": f"{reverse(f'{admin_site.name}:{opts.app_label}_{opts.model_name}_changelist')}?{query}",
            "items": count.items(rows) if count.items else [],
        })
    return shown


# The SVG's geometry in pixels: a label column, then bars of BAR pixels, one under another for each series.
LABEL_WIDTH, BARS_WIDTH, BAR, GAP = 110, 240, 12, 8


def _bars(series, rows):
    """Each row's bars, as long as their share of the chart's largest value, and the SVG's height."""
    top = max((value for _, values in rows for value in values), default=0) or 1
    row_height = BAR * len(series) + GAP
    drawn = [{
        "label": label,
        "values": values,
        "text_y": i * row_height + GAP // 2 + BAR * len(series) // 2 + 4,
        "bars": [{"name": name, "value": value, "index": j, "y": i * row_height + GAP // 2 + j * BAR,
                  "width": round(float(value) * BARS_WIDTH / float(top), 1)}
                 for j, (name, value) in enumerate(zip(series, values, strict=True))],
    } for i, (label, values) in enumerate(rows)]
    return drawn, row_height * len(rows)


def charts_for(alliance_ids):
    """The charts of these alliances, each with its numbers for the table beside it."""
    today = timezone.localdate()
    charts = []
    for chart in sorted(_charts.values(), key=lambda c: c.order):
        rows = [(label, tuple(values)) for label, values in chart.rows(alliance_ids, today)]
        drawn, height = _bars(chart.series, rows)
        charts.append({"title": chart.title, "series": chart.series, "rows": drawn, "height": height,
                       "width": LABEL_WIDTH + BARS_WIDTH + 50, "bars_x": LABEL_WIDTH})
    return charts


def document_count_register(model, *, status_field, order, **filters):
    """The rows of a model whose PDF a worker has not made yet or failed to make (alliance/documents.py)."""
    count_register(gettext("待生成/生成失败的%(plural)s") % {"plural": model._meta.verbose_name_plural}, model, order=order, filters=lambda today: {
        **filters, f"{status_field}__in": [DocumentStatus.PENDING, DocumentStatus.FAILED]})
