"""``eduteach demo``: the tool and its practice LMS, registered with each other, on this machine."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from urllib.error import URLError
from urllib.request import urlopen

import click
from werkzeug.serving import make_server

from .config import Settings
from .lti.platforms import PlatformValues, add_platform
from .practice_lms.app import create_practice_app
from .practice_lms.config import PracticeConfig, registration_values
from .practice_lms.serving import QuietRequestHandler
from .storage import migrate
from .storage.db import Database


def register_practice_platform(settings: Settings, config: PracticeConfig) -> None:
    """Tell the tool about the practice LMS, exactly as an admin would with the CLI."""
    values = registration_values(config)
    database = Database(settings.database_url)
    try:
        migrate.upgrade(database.engine)
        with database.session() as s:
            add_platform(
                s,
                PlatformValues(
                    issuer=values["issuer"],
                    client_id=values["client_id"],
                    deployment_ids=[values["deployment_id"]],
                    auth_login_url=values["auth_login_url"],
                    auth_token_url=values["auth_token_url"],
                    key_set_url=values["key_set_url"],
                    name=values["name"],
                ),
            )
    finally:
        database.dispose()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise click.ClickException("EduTeach stopped while starting; see the messages above.")
        try:
            with urlopen(url, timeout=2) as resp:  # noqa: S310 - our own loopback URL
                if resp.status == 200:
                    return
        except (URLError, OSError):
            time.sleep(0.3)
    raise click.ClickException(f"EduTeach did not answer at {url} within {seconds:.0f} seconds.")


def run_demo(settings: Settings, *, host: str, port: int, lms_port: int, workers: int) -> None:
    """Start the tool (gunicorn, in a child process) and serve the practice LMS here."""
    config = PracticeConfig(
        base_url=f"http://{host}:{lms_port}",
        tool_base_url=settings.base_url,
        instance_path=settings.instance_path / "practice_lms",
    )
    register_practice_platform(settings, config)
    env = dict(os.environ, EDUTEACH_INSTANCE_PATH=str(settings.instance_path))
    env.setdefault("EDUTEACH_BASE_URL", settings.base_url)
    tool = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "eduteach",
            "serve",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
    )
    try:
        _wait_until_up(f"{settings.base_url}/healthz", tool)
        lms = make_server(
            host,
            lms_port,
            create_practice_app(config),
            threaded=True,
            request_handler=QuietRequestHandler,
        )
        click.echo("")
        click.secho("EduTeach is running with its practice LMS.", bold=True)
        click.echo(f"  Open the practice LMS:  {config.base_url}")
        click.echo(
            f"  EduTeach itself:        {settings.base_url}  (Canvas JSON: {settings.base_url}/lti/canvas.json)"
        )
        click.echo("  Stop with Ctrl-C.")
        signal.signal(signal.SIGTERM, lambda *_: lms.shutdown())
        lms.serve_forever()
    except KeyboardInterrupt:
        click.echo("\nStopping.")
    finally:
        tool.terminate()
        try:
            tool.wait(timeout=20)
        except subprocess.TimeoutExpired:
            tool.kill()
