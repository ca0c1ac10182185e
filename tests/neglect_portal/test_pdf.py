"""The one PDF renderer: `data:` URIs and files in static/ load; the network and every other file do not.

Each PDF of the portal (chronology, subject access, printed assessment, dashboard) goes through
`neglect_portal.pdf`; the attacks below are run against the renderer and against each of them.
"""

import base64
import socket
import threading
from pathlib import Path

import pytest
from django.conf import settings

from neglect_portal import pdf

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


class Listener:
    """A local TCP server that records every connection made to it (and answers nothing useful)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, address = self.sock.accept()
            except OSError:
                continue
            self.connections.append(address)
            try:
                conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: image/png\r\n\r\n" + PNG)
            finally:
                conn.close()

    def close(self):
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def _fetched(html):
    """Render `html`; True when the render finished, False when the renderer stopped it."""
    from weasyprint.urls import FatalURLFetchingError

    try:
        assert pdf.render_pdf(html).startswith(b"%PDF")
        return True
    except FatalURLFetchingError:
        return False


def test_an_image_on_the_network_is_never_fetched(listener):
    for url in (f"http://127.0.0.1:{listener.port}/x.png", f"https://127.0.0.1:{listener.port}/x.png", f"ftp://127.0.0.1:{listener.port}/x.png"):
        assert not _fetched(f'<p>x</p><img src="{url}" alt="">')
    assert not _fetched(f'<p style="background: url(http://127.0.0.1:{listener.port}/bg.png)">x</p>')
    assert not _fetched(f'<style>@import url("http://127.0.0.1:{listener.port}/s.css");</style><p>x</p>')
    assert listener.connections == []


def test_an_embedded_svg_fetches_nothing_either(listener):
    """Charts and the logo are `data:` SVGs; what an SVG links to goes through the same fetcher, so an
    image, a file or a stylesheet inside one is dropped (WeasyPrint leaves the SVG's broken part out)."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
        f'<image href="http://127.0.0.1:{listener.port}/a.png" width="10" height="10"/>'
        '<image xlink:href="file:///etc/passwd" width="5" height="5"/>'
        f"<style>@import url(http://127.0.0.1:{listener.port}/s.css);</style></svg>"
    )
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    _fetched(f'<p>x</p><img src="{uri}" alt="">')  # renders without the SVG's image, or stops: either way
    assert listener.connections == []


def test_a_file_outside_static_is_not_read(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    assert pdf.static_file("file:///etc/passwd") is None
    assert pdf.static_file(secret.as_uri()) is None
    assert not _fetched('<img src="file:///etc/passwd" alt="">')
    assert not _fetched(f'<img src="{secret.as_uri()}" alt="">')
    assert not _fetched('<link rel="stylesheet" href="file:///etc/passwd"><p>x</p>')


def test_a_path_that_climbs_or_links_out_of_static_is_not_read(tmp_path, settings):
    static = tmp_path / "static"
    static.mkdir()
    outside = tmp_path / "outside.png"
    outside.write_bytes(PNG)
    (static / "link.png").symlink_to(outside)
    settings.STATICFILES_DIRS = [static]
    settings.STATIC_ROOT = None
    assert pdf.static_file(f"file://{static}/../outside.png") is None
    assert pdf.static_file((static / "link.png").as_uri()) is None
    assert pdf.static_file(f"file://attacker.example{static}/x.png") is None
    assert not _fetched(f'<img src="file://{static}/../outside.png" alt="">')


def test_a_static_file_and_a_data_uri_are_allowed(tmp_path, settings):
    static = tmp_path / "static"
    (static / "images").mkdir(parents=True)
    (static / "images" / "dot.png").write_bytes(PNG)
    settings.STATICFILES_DIRS = [static]
    assert pdf.static_file((static / "images" / "dot.png").as_uri()) == (static / "images" / "dot.png").resolve()
    assert _fetched(f'<img src="{(static / "images" / "dot.png").as_uri()}" alt="">')
    assert _fetched(f'<img src="data:image/png;base64,{base64.b64encode(PNG).decode()}" alt="">')
    # Relative URLs resolve against a static base URL.
    document = pdf.render_document('<img src="images/dot.png" alt="">', base_url=static.as_uri() + "/")
    assert len(document.pages) == 1


def test_the_project_static_directory_is_the_one_allowed():
    assert (Path(settings.BASE_DIR) / "static").resolve() in pdf.static_roots()


# --- Every PDF of the portal goes through it -----------------------------------------------------


def _attack(listener):
    return f'<p>x</p><img src="http://127.0.0.1:{listener.port}/tracker.png" alt=""><img src="file:///etc/passwd" alt="">'


@pytest.mark.parametrize(
    ("module", "call"),
    [
        ("chronologies.pdf", lambda module: module.chronology_pdf(context={})),
        ("subject_access.pdf", lambda module: module.subject_access_pdf(document={})),
        ("tools.printing", lambda module: module.run_pdf(context={})),
        ("dashboard.pdf", lambda module: module.dashboard_pdf(context={})),
    ],
)
def test_every_pdf_of_the_portal_refuses_the_network(listener, monkeypatch, module, call):
    import importlib

    from weasyprint.urls import FatalURLFetchingError

    target = importlib.import_module(module)
    monkeypatch.setattr(target, "render_to_string", lambda *args, **kwargs: _attack(listener))
    for helper in ("_readable_dates", "_readable_log"):
        if hasattr(target, helper):
            monkeypatch.setattr(target, helper, lambda document: {})
    with pytest.raises(FatalURLFetchingError):
        call(target)
    assert listener.connections == []
