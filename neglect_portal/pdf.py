"""The one way the portal turns HTML into a PDF (WeasyPrint), and what a PDF may load while it is made.

Every PDF (the chronology, the subject access export, the printed assessment, the dashboard report)
is rendered here, with one URL fetcher that allows:

* `data:` URIs (charts and the partnership's logo are embedded so), and
* files inside the project's static directories (`STATICFILES_DIRS`, and `STATIC_ROOT` where they
  are collected), after resolving symbolic links and `..`;

and refuses everything else: http, https, ftp, other schemes, and every other file (`/etc/passwd`, the
settings, the uploaded census files). A refused URL stops the render with `FatalURLFetchingError`
rather than leaving a hole in the document, so a template or a stored value that points elsewhere is
found at once, and the server never calls out while a PDF is made (docs/security.md, "PDFs fetch
nothing"). Stylesheets are files of the app that owns the template, read by the caller's path, not
through the fetcher; fonts come from the system (fontconfig).

WeasyPrint is imported inside the functions, not at module level: importing it parses its built-in
stylesheets (and logs each step), which every web process would otherwise pay at start-up.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings


def static_roots() -> list[Path]:
    """The directories a PDF may read files from: the project's static sources and their collected copy."""
    roots = [Path(directory) for directory in getattr(settings, "STATICFILES_DIRS", ())]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


def static_file(url: str) -> Path | None:
    """The file a `file:` URL names when it lies inside a static directory, else None."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    if not path.is_file():
        return None
    return path if any(path.is_relative_to(root) for root in static_roots()) else None


def url_fetcher():
    """The portal's WeasyPrint fetcher: `data:` URIs and static files only, anything else stops the render."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self):
            # The parent's own protocol check is the first fence; `fetch` narrows `file:` to static/.
            super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, fail_on_errors=True)

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].strip().lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = static_file(url)
                if path is None:
                    raise ValueError(f"A PDF may read files from the static directory only, not {url[:200]}")
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type})
            raise ValueError(f"A PDF fetches nothing over the network: {url[:200]} was refused")

    return StaticOnlyFetcher()


def render_document(html: str, *, stylesheets=(), base_url=None):
    """Lay `html` out as a WeasyPrint document (its pages can be inspected before writing the PDF).

    `stylesheets` are paths of CSS files (the template's own); `base_url` resolves relative URLs and
    should be a static directory when the HTML names static files relatively.
    """
    from weasyprint import CSS, HTML

    fetcher = url_fetcher()
    css = [CSS(filename=str(path), url_fetcher=fetcher) for path in stylesheets]
    return HTML(string=html, base_url=str(base_url) if base_url is not None else None, url_fetcher=fetcher).render(stylesheets=css)


def render_pdf(html: str, *, stylesheets=(), base_url=None) -> bytes:
    """`html` as PDF bytes, loading nothing but `data:` URIs and static files (see the module docstring)."""
    return render_document(html, stylesheets=stylesheets, base_url=base_url).write_pdf()
