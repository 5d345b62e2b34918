"""Downloading the demo's public files from a real HTTP server on 127.0.0.1."""

import hashlib
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from civica.demo import datasets


class RangeHandler(SimpleHTTPRequestHandler):
    """A static file server that honours ``Range: bytes=N-`` (as publishers' servers do)."""

    ranges_seen: list[str] = []

    def log_message(self, *args):
        pass

    def send_head(self):
        header = self.headers.get("Range")
        if not header:
            return super().send_head()
        type(self).ranges_seen.append(header)
        path = self.translate_path(self.path)
        handle = open(path, "rb")  # noqa: SIM115  (closed by copyfile's caller)
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


@pytest.fixture
def server(shared_data):
    RangeHandler.ranges_seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(RangeHandler, directory=shared_data))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_it_downloads_every_demo_file_and_records_checksums(server, shared_data, tmp_path):
    seen = []
    datasets.download_all(server, tmp_path, on_file=seen.append)
    assert seen == [f.relative_path for f in datasets.DEMO_FILES]
    assert datasets.missing_files(tmp_path) == []
    sums = (tmp_path / "SHA256SUMS").read_text().splitlines()
    assert len(sums) == len(datasets.DEMO_FILES)
    for line in sums:
        digest, name = line.split("  ")
        assert digest == sha256(shared_data / name)


def test_it_resumes_a_partial_download(server, shared_data, tmp_path):
    name = "conapo_poblacion/entidad_total.csv"
    original = (shared_data / name).read_bytes()
    partial_file = tmp_path / (name + ".part")
    partial_file.parent.mkdir(parents=True)
    partial_file.write_bytes(original[:1000])
    import httpx

    with httpx.Client() as client:
        datasets.download_file(client, server + name, tmp_path / name)
    assert (tmp_path / name).read_bytes() == original
    assert RangeHandler.ranges_seen == ["bytes=1000-"]
    assert not partial_file.exists()


def test_it_skips_files_already_present(server, tmp_path):
    datasets.download_all(server, tmp_path)
    again = []
    datasets.download_all(server, tmp_path, on_file=again.append)
    assert again == []


def test_a_missing_file_on_the_server_names_the_url(server, tmp_path):
    with pytest.raises(datasets.DownloadError, match=r"127\.0\.0\.1.*HTTP 404"):
        datasets.download_all(server + "nowhere/", tmp_path)
