"""Run the service in pre-forked worker processes that share models loaded once, before the fork.

gunicorn supervises the workers (a worker that dies is forked again from the loaded parent, in well under
a second) and each worker runs the FastAPI app under uvicorn. Loading the models once rather than once per
worker halves the start-up on two cores, and the forked workers share the loaded models' memory pages.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import shutil
import signal
import socket
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from fastapi import FastAPI
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger
from uvicorn_worker import UvicornWorker

from service.settings import SHARED_METRICS_VARIABLE, Settings


class Worker(UvicornWorker):
    """uvicorn in a gunicorn worker, with uvloop and httptools and without uvicorn's access log (the app
    logs one JSON line per request itself)."""

    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {**UvicornWorker.CONFIG_KWARGS, "access_log": False}

    def _install_sigquit_handler(self) -> None:
        """Stop on SIGQUIT, which gunicorn sends its workers for a quick shutdown (when it gets SIGINT).

        uvicorn-worker's own handler only marks the worker as finished, which the uvicorn server never
        checks, so the worker ran on until gunicorn killed it after its graceful timeout
        (Kludex/uvicorn-worker#2). SIGQUIT is turned into the SIGINT uvicorn stops on.
        """
        asyncio.get_running_loop().add_signal_handler(signal.SIGQUIT, signal.raise_signal, signal.SIGINT)


class JsonLogger(Logger):
    """gunicorn's own messages (workers booting, exiting, timing out) as the service's JSON log lines."""

    def setup(self, cfg: Any) -> None:
        """Write gunicorn's error log (and uvicorn's, which the worker points at it) through the root
        logger's handlers, which ``configure_logging`` set up before the fork."""
        super().setup(cfg)
        self.error_log.handlers = list(logging.getLogger().handlers)


class PreforkServer(BaseApplication):
    """gunicorn serving an app that is already built, models and all, in this process."""

    def __init__(self, app: FastAPI, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        """Apply ``options`` (gunicorn setting names) over gunicorn's defaults."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> FastAPI:
        """The app each worker serves: the one built before the fork."""
        return self.application


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    """gunicorn settings for ``settings``: address, workers, log level; no control socket or access log."""
    return {
        "bind": f"[{settings.host}]:{settings.port}"
        if ":" in settings.host
        else f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        "worker_class": f"{Worker.__module__}.{Worker.__qualname__}",
        "logger_class": f"{JsonLogger.__module__}.{JsonLogger.__qualname__}",
        "loglevel": settings.log_level.lower(),
        "accesslog": None,
        "control_socket_disable": True,
        "keepalive": 5,
    }


@contextmanager
def shared_metrics_directory() -> Iterator[None]:
    """A fresh directory for every worker's Prometheus metrics, named in ``PROMETHEUS_MULTIPROC_DIR`` and
    removed afterwards (one the operator set already is used as it is, and kept).

    prometheus_client reads the variable when it is first imported, so this must run before that.
    """
    if SHARED_METRICS_VARIABLE in os.environ:
        yield
        return
    if "prometheus_client" in sys.modules:
        raise RuntimeError("prometheus_client was imported before its shared directory was set")
    directory, owner = tempfile.mkdtemp(prefix="casework-metrics-"), os.getpid()
    os.environ[SHARED_METRICS_VARIABLE] = directory
    try:
        yield
    finally:
        if os.getpid() == owner:  # a forked worker leaves through here too when it exits
            shutil.rmtree(directory, ignore_errors=True)


class AddressInUseError(Exception):
    """Nothing can listen on the configured host and port."""


def check_address_free(host: str, port: int) -> None:
    """Raise ``AddressInUseError`` when ``host``:``port`` cannot be bound (as gunicorn binds it, with
    SO_REUSEADDR), so a clash shows before the models spend seconds loading."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise AddressInUseError(f"cannot listen on {host}:{port}: {error.strerror}") from None


def serve(settings: Settings) -> None:
    """Train the default models if none are there, load them, then serve them from ``settings.workers``
    forked processes until stopped. Raises ``AddressInUseError`` first thing when the address is taken."""
    check_address_free(settings.host, settings.port)
    # Imported only now: they take seconds, and a taken address should be reported at once.
    from service.runtime import Runtime, ensure_default_models

    ensure_default_models(settings)
    with shared_metrics_directory():
        from service.api.main import create_app  # imports prometheus_client, once its directory is set

        app = create_app(settings, runtime=Runtime.load(settings))
        # Objects that exist now live as long as the process: keep the collector off them, so it does not
        # write to (and so un-share) the memory pages the workers inherit.
        gc.freeze()
        PreforkServer(app, gunicorn_options(settings)).run()
