"""A small HTTP server of the tests' own on a free loopback port (a captive portal, a tampering proxy):
started on a daemon thread, its URL yielded, shut down afterwards."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def loopback_http(handler: type[http.server.BaseHTTPRequestHandler], **attributes: Any) -> Iterator[str]:
    """Serve ``handler`` on 127.0.0.1 (``attributes`` set on the server, for the handler to read as
    ``self.server.<name>``); yields ``http://127.0.0.1:<port>``."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    for name, value in attributes.items():
        setattr(httpd, name, value)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
