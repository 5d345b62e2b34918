"""The WSGI servers behind `civica serve`: waitress (one process, the embedded default) or
gunicorn (several processes), each trusting forwarded headers only from
``CIVICA_TRUSTED_PROXIES``."""

from __future__ import annotations

from django.conf import settings


def run_waitress(host: str, port: int, *, threads: int) -> None:
    import waitress

    from civica.web.warm import warm
    from civica.wsgi import application

    warm()  # the first request pays no imports

    proxies = settings.CIVICA_TRUSTED_PROXIES
    options = {}
    if proxies:
        # waitress removes X-Forwarded-* unless the peer is trusted: without this, Django
        # sees plain HTTP behind an HTTPS proxy and redirects to HTTPS again, forever.
        options = {
            "trusted_proxy": proxies[0] if len(proxies) == 1 else "*",
            "trusted_proxy_count": 1,
            "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"},
            "clear_untrusted_proxy_headers": True,
        }
    waitress.serve(application, host=host, port=port, threads=threads, ident="civica", **options)


def run_gunicorn(host: str, port: int, *, workers: int, threads: int) -> None:
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    from civica.web.warm import open_connections, warm
    from civica.wsgi import application

    # Imported once here, before the workers are forked: they inherit it all and their
    # first requests pay no imports. No DuckDB connection here: it would not survive the
    # fork; each worker opens its own as it starts.
    warm(connect=False)
    # Workers are forked from this process: none may inherit its database connection.
    connections.close_all()
    proxies = ",".join(settings.CIVICA_TRUSTED_PROXIES) or "127.0.0.1,::1"

    class Server(BaseApplication):
        def load_config(self):
            for key, value in {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "forwarded_allow_ips": proxies,
                "proxy_allow_ips": proxies,
                "proc_name": "civica",
                "accesslog": None,
                "timeout": 120,
                # Each worker opens its warehouse connection as it starts.
                "post_fork": lambda _server, _worker: open_connections(),
            }.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    Server().run()
