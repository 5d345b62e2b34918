"""A real HTTP server on 127.0.0.1 serving a folder, honouring ``Range`` like publishers do."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _RangeHandler(SimpleHTTPRequestHandler):
    """Static files, with ``Range: bytes=N-`` answered by 206 (or 416 past the end)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        header = self.headers.get("Range")
        if not header:
            return super().send_head()
        self.server.ranges_seen.append(header)
        path = self.translate_path(self.path)
        handle = open(path, "rb")  # noqa: SIM115  (closed by the caller of send_head)
        size = handle.seek(0, 2)
        start = int(header.removeprefix("bytes=").rstrip("-"))
        if start >= size:
            handle.close()
            self.send_error(416)
            return None
        handle.seek(start)
        self.send_response(206)
        self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
        self.send_header("Content-Length", str(size - start))
        self.end_headers()
        return handle


@dataclass
class FileServer:
    url: str
    ranges_seen: list[str] = field(default_factory=list)


def serve_folder(folder: Path):
    """Start serving ``folder``; returns the running server and a function that stops it."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_RangeHandler, directory=folder))
    info = FileServer(url=f"http://127.0.0.1:{httpd.server_address[1]}/")
    httpd.ranges_seen = info.ranges_seen
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()

    def stop():
        httpd.shutdown()
        httpd.server_close()

    return info, stop
