"""Pages of a long list: the page asked for, and the GOV.UK pagination component's links.

Lists that can grow without bound (the drift queue, a manager's cases, a chronology) are paged with
Django's Paginator over a queryset, so the database counts and returns one page; nothing is capped.
"""

from django.core.paginator import Paginator

# Pages shown around the current one in the pagination component, before ellipses.
PAGES_AROUND = 2


def page_of(items, number, *, per_page):
    """Page `number` of `items` (a queryset or list); a missing, bad or out-of-range number gives the nearest page."""
    return Paginator(items, per_page).get_page(number)


def query_without_page(request):
    """The request's query string without `page` (kept on every pagination link)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def pagination_links(page, query=""):
    """The GOV.UK pagination component's items (templates/includes/pagination.html): first, last, the current page and two either side.

    None when everything fits on one page.
    """
    if page.paginator.num_pages <= 1:
        return None
    prefix = f"?{query}&page=" if query else "?page="
    shown = {1, page.paginator.num_pages, *range(page.number - PAGES_AROUND, page.number + PAGES_AROUND + 1)}
    items, previous = [], 0
    for number in sorted(n for n in shown if 1 <= n <= page.paginator.num_pages):
        if number > previous + 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "url": f"{prefix}{number}", "current": number == page.number})
        previous = number
    return {
        "items": items,
        "previous": f"{prefix}{page.previous_page_number()}" if page.has_previous() else None,
        "next": f"{prefix}{page.next_page_number()}" if page.has_next() else None,
    }
