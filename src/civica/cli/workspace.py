"""``civica init``, ``civica demo``, ``civica serve`` and ``civica keys``."""

from __future__ import annotations

from pathlib import Path

import click
from django.utils.translation import gettext as _

from civica.cli.runtime import django_command, echo_lines


@click.command()
@django_command
def init():
    """Create the workspace (CIVICA_HOME) and the database schema.

    Safe to run again: it only applies what is missing.

    \b
    Example:
        CIVICA_HOME=/srv/civica civica init
    """
    from civica.core.services import initialize

    echo_lines(initialize())


@click.command()
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder with the public files (laid out like shared/data).",
)
@click.option(
    "--synthetic", is_flag=True, help="Use an invented territory even if real files are available."
)
@click.option("--no-serve", is_flag=True, help="Prepare everything, then exit.")
@click.option(
    "--new-passwords",
    is_flag=True,
    help="Give the demo accounts that already exist new passwords (they are kept otherwise).",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@django_command
def demo(data_dir, synthetic, no_serve, new_passwords, host, port):
    """Set up a ready-to-explore platform and serve it.

    Creates the workspace, loads the territory, the SESNSP files and CDMX incidents found in
    the data folder (with an illustrative intervention whose design is locked), a synthetic
    program with case records and a screening instrument, creates one demo account per role
    and prints the passwords of new accounts (a repeat keeps them unless --new-passwords).
    Real data comes from --data, or is downloaded from CIVICA_DEMO_DATA_URL; with neither,
    an invented territory labelled as synthetic is used.

    \b
    Example:
        civica demo --data ../shared/data
    """
    from django.conf import settings

    from civica.core.services import initialize
    from civica.demo import content, loader, statistics
    from civica.police import demo as police_demo
    from civica.reinsertion import demo as reinsertion_demo

    echo_lines(initialize())
    folder = _demo_folder(data_dir, synthetic, settings)
    if folder is None:
        click.echo(_("No data folder or download URL: loading a synthetic territory (not real)."))
        loader.load_synthetic(click.echo)
        analyst_municipality = "99001"
    else:
        click.echo(_("Loading public data from %(folder)s") % {"folder": folder})
        loader.load_from_folder(folder, click.echo)
        statistics.load_statistics(folder, click.echo)
        police_demo.load_official(folder, click.echo)
        statistics.load_example_intervention(click.echo)
        analyst_municipality = "09015"
    _load_demo_program()
    _load_demo_problems()
    echo_lines(content.load_instrument())
    credentials = content.load(
        analyst_municipality=analyst_municipality, new_passwords=new_passwords
    )
    echo_lines(reinsertion_demo.load())
    click.echo("")
    click.echo(_("Accounts (new ones get a password; existing ones keep theirs):"))
    for username, password in credentials.items():
        click.echo(f"  {username:14} {password or _('(unchanged)')}")
    if no_serve:
        click.echo(
            _("Ready. Start the web server with: civica serve --port %(port)d") % {"port": port}
        )
        return
    _serve(host, port)


def _load_demo_problems() -> None:
    """Problems in seven cities with locked designs (synthetic layers with known effects;
    Mexico City on its real incidents): the fact sheet's crime change comes from them."""
    from civica.problems import demo as problems_demo

    click.echo(_("· problems in seven cities with locked evaluation designs…"))
    for line in problems_demo.load():
        click.echo(f"  {line}")


def _load_demo_program() -> None:
    """The synthetic program records, so the fact sheet's achievements are computed; the
    invented territory is too small for them, which is said rather than faked."""
    from civica.monitoring import demo as program

    click.echo(_("· program monitoring (synthetic demo program)…"))
    try:
        lines = program.load()
    except program.DemoTerritoryError as error:
        lines = [str(error), *program.load_catalogue()]
    else:
        lines += _demo_participants()
    for line in lines:
        click.echo(f"  {line}")


def _demo_participants() -> list[str]:
    """Synthetic participant records at the fact sheet's scale (8,700 youth reached in FY2023
    in 30 municipalities of 12 states), written once: a repeat keeps the first ones."""
    from civica.participants.models import Person
    from civica.participants.synthetic import FACT_SHEET, generate

    if Person.objects.filter(synthetic=True).exists():
        return [_("Synthetic participants already present; kept as they are.")]
    click.echo(_("· synthetic participants at the fact sheet's scale…"))
    return generate(seed=1, **FACT_SHEET).lines()


def _demo_folder(data_dir: Path | None, synthetic: bool, settings) -> Path | None:
    from civica.demo import datasets

    if synthetic:
        return None
    if data_dir is None and settings.CIVICA_DATA_DIR:
        data_dir = Path(settings.CIVICA_DATA_DIR)
    if data_dir is not None:
        missing = datasets.missing_files(data_dir)
        if missing:
            raise click.ClickException(
                _("%(folder)s lacks %(n)d demo file(s): %(files)s")
                % {"folder": data_dir, "n": len(missing), "files": ", ".join(missing)}
            )
        return data_dir
    if settings.CIVICA_DEMO_DATA_URL:
        target = settings.CIVICA_HOME / "downloads"
        with click.progressbar(length=0, label=_("Downloading"), show_pos=True) as bar:
            try:
                datasets.download_all(
                    settings.CIVICA_DEMO_DATA_URL,
                    target,
                    progress=bar.update,
                    on_file=lambda name: click.echo(f"  {name}"),
                )
            except datasets.DownloadError as error:
                click.echo(
                    _("Download failed (%(error)s); using the synthetic territory.")
                    % {"error": error}
                )
                return None
        return target
    return None


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes (default CIVICA_WEB_WORKERS); more than one runs gunicorn.",
)
@django_command
def serve(host, port, threads, workers):
    """Serve the web interface and the API: waitress in one process, gunicorn with several.

    Behind an HTTPS proxy set CIVICA_TRUSTED_PROXIES to its address (docs/deployment.md).

    \b
    Example:
        civica serve --port 8000
        CIVICA_TRUSTED_PROXIES=127.0.0.1 civica serve --workers 4
    """
    _serve(host, port, threads, workers)


def _serve(host: str, port: int, threads: int = 4, workers: int | None = None) -> None:
    from django.conf import settings
    from django.core.management import call_command

    from civica.core.services import pending_migrations

    call_command("check", deploy=settings.PRODUCTION, fail_level="ERROR")
    if pending_migrations():
        raise click.ClickException(_("The database is not up to date: run `civica init` first."))
    from civica.cli.jobs import start_worker_beside_server, stop_worker
    from civica.cli.serving import run_gunicorn, run_waitress

    workers = workers or settings.CIVICA_WEB_WORKERS
    click.echo(
        _("Cívica at http://%(host)s:%(port)d/ (Ctrl+C stops it)") % {"host": host, "port": port}
    )
    worker = start_worker_beside_server()
    try:
        if workers > 1:
            run_gunicorn(host, port, workers=workers, threads=threads)
        else:
            run_waitress(host, port, threads=threads)
    finally:
        stop_worker(worker)


@click.group()
def keys():
    """Manage the keys that encrypt personal data at rest.

    \b
    Example:
        civica keys generate
    """


@keys.command("generate")
def generate():
    """Print a new encryption key for CIVICA_ENCRYPTION_KEYS (put new keys first).

    \b
    Example:
        export CIVICA_ENCRYPTION_KEYS="$(civica keys generate),$CIVICA_ENCRYPTION_KEYS"
    """
    from civica.workspace import new_fernet_key

    click.echo(new_fernet_key())


@keys.command("rotate")
@click.option(
    "--batch",
    type=click.IntRange(1),
    default=500,
    show_default=True,
    help="Rows re-encrypted per transaction.",
)
@django_command
def rotate(batch):
    """Re-encrypt every personal field with the first key of CIVICA_ENCRYPTION_KEYS.

    Put the new key first and keep the old ones after it while this runs (the application
    keeps serving); remove an old key only once this reports nothing left to re-encrypt.
    Values edited during the pass are left alone: they are already under the new key.

    \b
    Example:
        CIVICA_ENCRYPTION_KEYS="$NEW,$OLD" civica keys rotate
    """
    from civica.core.rotation import rotate_all

    echo_lines(rotate_all(batch=batch).lines())
