"""Downloading the demo's public files from a real HTTP server on 127.0.0.1."""

import hashlib

import pytest

from civica.demo import datasets


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_it_downloads_every_demo_file_and_records_checksums(file_server, shared_data, tmp_path):
    seen = []
    datasets.download_all(file_server.url, tmp_path, on_file=seen.append)
    assert seen == [f.relative_path for f in datasets.DEMO_FILES]
    assert datasets.missing_files(tmp_path) == []
    sums = (tmp_path / "SHA256SUMS").read_text().splitlines()
    assert len(sums) == len(datasets.DEMO_FILES)
    for line in sums:
        digest, name = line.split("  ")
        assert digest == sha256(shared_data / name)


def test_it_resumes_a_partial_download(file_server, shared_data, tmp_path):
    name = "conapo_poblacion/entidad_total.csv"
    original = (shared_data / name).read_bytes()
    partial_file = tmp_path / (name + ".part")
    partial_file.parent.mkdir(parents=True)
    partial_file.write_bytes(original[:1000])
    import httpx

    with httpx.Client() as client:
        datasets.download_file(client, file_server.url + name, tmp_path / name)
    assert (tmp_path / name).read_bytes() == original
    assert file_server.ranges_seen == ["bytes=1000-"]
    assert not partial_file.exists()


def test_it_skips_files_already_present(file_server, tmp_path):
    datasets.download_all(file_server.url, tmp_path)
    again = []
    datasets.download_all(file_server.url, tmp_path, on_file=again.append)
    assert again == []


def test_a_missing_file_on_the_server_names_the_url(file_server, tmp_path):
    with pytest.raises(datasets.DownloadError, match=r"127\.0\.0\.1.*HTTP 404"):
        datasets.download_all(file_server.url + "nowhere/", tmp_path)
