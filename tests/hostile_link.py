"""A hostile-link TCP proxy for the sync tests and bench/sync.py: rate limit, latency, and cuts.

``HostileLink(target_port, rate=bytes_per_s, latency=s, cut_after=N)`` listens on a free loopback port
and forwards every connection to ``127.0.0.1:target_port``. A burst after the direction was idle waits
``latency`` seconds; every piece is paced to ``rate`` bytes per second (per direction, per connection). ``cut_after``: once
that many client→server bytes went through (counted over the proxy's life), every connection open
then is cut (closed both ways) at that exact byte; ``cut_after`` may be changed while it runs (None:
no more cuts). ``up_bytes`` / ``down_bytes`` count what the link carried; ``cuts`` how often it cut.
"""

from __future__ import annotations

import socket
import threading
import time


class HostileLink:
    def __init__(self, target_port: int, *, rate: float | None = None, latency: float = 0.0,
                 cut_after: int | None = None, piece: int = 4096) -> None:
        self.target_port, self.rate, self.latency, self.piece = target_port, rate, latency, piece
        self.cut_after = cut_after
        self.up_bytes = self.down_bytes = self.cuts = 0
        self._lock = threading.Lock()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._open: list[socket.socket] = []
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._closed = True
        self._listener.close()
        with self._lock:
            for sock in self._open:
                _shut(sock)

    def __enter__(self) -> "HostileLink":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                _shut(client)
                continue
            with self._lock:
                self._open += [client, server]
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, upstream: bool) -> None:
        idle_since = 0.0  # the latency is paid by the first piece after the direction was idle
        try:
            while True:
                data = source.recv(self.piece)
                if not data:
                    break
                cut = False
                with self._lock:
                    if upstream:
                        if self.cut_after is not None and self.up_bytes + len(data) >= self.cut_after:
                            data = data[:max(0, self.cut_after - self.up_bytes)]
                            cut = True
                        self.up_bytes += len(data)
                    else:
                        self.down_bytes += len(data)
                if self.latency and time.monotonic() - idle_since > self.latency:
                    time.sleep(self.latency)
                if self.rate:
                    time.sleep(len(data) / self.rate)
                if data:
                    sink.sendall(data)
                idle_since = time.monotonic()
                if cut:
                    with self._lock:
                        self.cuts += 1
                        self.cut_after = None
                    break
        except OSError:
            pass
        finally:
            _shut(source)
            _shut(sink)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
