"""``civica ingest …`` and ``civica fetch …``: bring official statistics in."""

from __future__ import annotations

import re
from pathlib import Path

import click
from django.utils.translation import gettext as _

from civica.cli.runtime import django_command, echo_lines, ensure_django

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _cut(ctx, param, value):
    if value is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        ensure_django()  # `civica ingest` starts Django late: the message needs it
        raise click.BadParameter(_("use YYYY-MM, e.g. 2024-11"))
    return value


CUT = click.option(
    "--cut",
    callback=_cut,
    default=None,
    metavar="YYYY-MM",
    help="Publication cut, when the file name does not say it.",
)


@click.group()
def ingest():
    """Load official files into Cívica.

    \b
    Example:
        civica ingest sesnsp IDEFC_NM_nov24.csv
    """


# Every `civica ingest` call starts Django with these alone (issue 19: the other apps'
# models cost ~0.2 s of a national SESNSP ingest); test_ingest_apps.py checks that each
# command prints and records the same with every app.
DJANGO_APPS = (
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "civica.territory",
    "civica.organizations",
    "civica.accounts",
    "civica.audit",
    "civica.official",
)
ingest.django_apps = DJANGO_APPS
# ... and starts it only once a command's arguments are read, so that `civica ingest sesnsp`
# reads its first file while Django starts (issue 19: ~0.3 s of the national file's 2.7 s).
ingest.django_later = True
_PREFETCH = "civica.sesnsp_prefetch"


def _start_reading(ctx, param, files):
    """Start Arrow's read of the first file (``read_sesnsp``'s prefetch), before Django; the
    command hands it over, and it is stopped when the command ends, whatever happened."""
    from civica.sources.sesnsp import prefetch

    started = prefetch(files[0]) if files else None
    if started is not None:
        ctx.meta[_PREFETCH] = (files[0], started)
        ctx.find_root().call_on_close(started.stop)
    return files


@ingest.command("sesnsp")
@click.argument("files", nargs=-1, required=True, type=EXISTING_FILE, callback=_start_reading)
@CUT
@django_command
def ingest_sesnsp(files, cut):
    """Ingest SESNSP incidence or victims files (.csv, .csv.gz or .zip) as published.

    The kind of file (municipal, state, victims; 2015 or 2026 RNID methodology) is detected
    from its header. Each file becomes a snapshot of its publication cut; the newest cut is
    current and older cuts stay queryable.

    \b
    Example:
        civica ingest sesnsp ../shared/data/sesnsp_estatal/IDEFC_NM_estatal_2015-2024.csv.gz \\
            --cut 2024-11
    """
    from civica.official import services

    first, started = click.get_current_context().meta.pop(_PREFETCH, (None, None))
    for file in files:
        read = started if file == first else None
        echo_lines(services.ingest_sesnsp(path=file, cut=cut, prefetch=read).lines())


@ingest.command("conapo")
@click.argument("files", nargs=-1, required=True, type=EXISTING_FILE)
@django_command
def ingest_conapo(files):
    """Load CONAPO population by year and sex (the denominators of every rate).

    Same as `civica territory import-population`.

    \b
    Example:
        civica ingest conapo municipal_total.csv municipal_hombres.csv municipal_mujeres.csv
    """
    from civica.territory import services

    echo_lines(services.import_population(paths=list(files)).lines())


@click.group()
def fetch():
    """Download official publications, then ingest them.

    \b
    Example:
        civica fetch sesnsp https://example.org/IDEFC_NM_nov24.csv
    """


@fetch.command("sesnsp")
@click.argument("url", required=False)
@CUT
@django_command
def fetch_sesnsp(url, cut):
    """Download a SESNSP file (with progress and resume), record its SHA-256, ingest it.

    Without URL, CIVICA_SESNSP_URL is used.

    \b
    Example:
        civica fetch sesnsp https://example.org/datos/IDVFC_NM_ene25.zip
    """
    from urllib.parse import urlparse

    import httpx
    from django.conf import settings

    from civica.checksums import sha256_of
    from civica.downloads import DownloadError, download_file
    from civica.official import services

    url = url or settings.CIVICA_SESNSP_URL
    if not url:
        raise click.UsageError(_("Give a URL or set CIVICA_SESNSP_URL."))
    name = Path(urlparse(url).path).name or "sesnsp.csv"
    target = Path(settings.CIVICA_HOME) / "downloads" / "sesnsp" / name
    with (
        httpx.Client(timeout=120, follow_redirects=True) as client,
        click.progressbar(length=0, label=_("Downloading"), show_pos=True) as bar,
    ):
        try:
            download_file(client, url, target, bar.update)
        except (DownloadError, httpx.HTTPError) as error:
            raise click.ClickException(str(error)) from error
    digest = sha256_of(target)
    with (target.parent / "SHA256SUMS").open("a", encoding="ascii") as sums:
        sums.write(f"{digest}  {name}\n")
    click.echo(f"{name}  sha256 {digest}")
    echo_lines(services.ingest_sesnsp(path=target, cut=cut).lines())


def _mapping(ctx, param, value):
    if not value:
        return None
    pairs = {}
    for item in value.split(","):
        role, sep, column = item.partition("=")
        if not sep or not role.strip() or not column.strip():
            ensure_django()  # `civica ingest` starts Django late: the message needs it
            raise click.BadParameter(_("use role=column pairs, e.g. date=fecha,lat=latitud"))
        pairs[role.strip()] = column.strip()
    return pairs


@ingest.command("incidents")
@click.argument("file", type=EXISTING_FILE)
@click.option("--layer", required=True, help="Name of the incident dataset, e.g. cdmx-ssp.")
@click.option(
    "--preset",
    type=click.Choice(["cdmx-ssp", "cdmx-fgj"]),
    default=None,
    help="A known file layout.",
)
@click.option(
    "--map",
    "mapping",
    callback=_mapping,
    default=None,
    help="Columns by role: date=…,time=…,crime=…,lat=…,lon=… (instead of --preset).",
)
@click.option(
    "--sectors",
    "sectors_layer",
    default=None,
    help="Sector layer to place incidents in (see civica territory import-sectors).",
)
@click.option("--cuadrantes", "cuadrantes_layer", default=None, help="Cuadrante layer.")
@click.option("--version", default=None, help="Version label (default: today's date).")
@django_command
def ingest_incidents(file, layer, preset, mapping, sectors_layer, cuadrantes_layer, version):
    """Ingest geolocated incidents (CSV, Parquet or GeoJSON) and place them in sectors.

    Rows without coordinates, outside the area, with impossible dates or unknown categories
    are counted by reason and written to a rejects file, never dropped silently.

    \b
    Example:
        civica ingest incidents crime_lat_long_2013-2016.csv.gz --layer cdmx-ssp \\
            --preset cdmx-ssp --sectors "SSP sectores 2016" --cuadrantes "SSP cuadrantes 2016"
    """
    if not preset and not mapping:
        raise click.UsageError(_("Give --preset or --map."))
    from civica.incidents import services

    echo_lines(
        services.ingest_incidents(
            path=file,
            layer=layer,
            preset=preset,
            mapping=mapping,
            sectors_layer=sectors_layer,
            cuadrantes_layer=cuadrantes_layer,
            version=version,
        ).lines()
    )


@click.group()
def warehouse():
    """The warehouse of snapshots that ingests write (CIVICA_WAREHOUSE_DIR).

    \b
    Example:
        civica warehouse prune
    """


@warehouse.command("prune")
@click.option(
    "--grace-minutes",
    type=click.IntRange(min=0),
    default=60,
    show_default=True,
    help="Keep files superseded (or written) less than this long ago: a query may still read them.",
)
@django_command
def warehouse_prune(grace_minutes):
    """Delete snapshot files that no cut uses any more (superseded by a re-import).

    The live snapshot of every cut stays; so does any file superseded less than
    --grace-minutes ago, because a page that loaded the previous manifest may still read it.

    \b
    Example:
        civica warehouse prune --grace-minutes 10
    """
    from datetime import timedelta

    from civica.core.services import warehouse as open_warehouse

    store = open_warehouse()
    sizes = {}
    folder = store.root / "snapshots"
    if folder.is_dir():
        sizes = {path: path.stat().st_size for path in folder.rglob("*.parquet")}
    removed = store.prune(grace=timedelta(minutes=grace_minutes))
    for path in removed:
        click.echo(path.relative_to(store.root).as_posix())
    freed = sum(sizes.get(path, 0) for path in removed)
    click.echo(
        _("%(n)d superseded snapshot files removed, %(mb).1f MB freed")
        % {"n": len(removed), "mb": freed / 1e6}
    )
