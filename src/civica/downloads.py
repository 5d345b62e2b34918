"""Downloading public files: streamed to disk, resumable, never half-written."""

from __future__ import annotations

from pathlib import Path

import httpx

__all__ = ["DownloadError", "download_file"]


class DownloadError(RuntimeError):
    pass


def download_file(client: httpx.Client, url: str, target: Path, progress=None) -> None:
    """Download ``url`` to ``target``, resuming a partial ``.part`` file when the server can."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    offset = partial.stat().st_size if partial.exists() else 0
    headers = {"Range": f"bytes={offset}-"} if offset else {}
    with client.stream("GET", url, headers=headers) as response:
        if response.status_code == 416:  # the partial file is already complete
            partial.replace(target)
            return
        if response.status_code not in (200, 206):
            raise DownloadError(f"{url}: HTTP {response.status_code}")
        mode = "ab" if response.status_code == 206 else "wb"
        with partial.open(mode) as handle:
            for chunk in response.iter_bytes(1 << 16):
                handle.write(chunk)
                if progress is not None:
                    progress(len(chunk))
    partial.replace(target)
