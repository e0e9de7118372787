"""The ``eduteach`` command: serve, migrate, register platforms, manage keys, run the demo."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
from sqlalchemy.orm import Session

from .commands import generate, modify
from .commands.guidelines import ai_levels
from .commands.standards import standards
from .config import ConfigError, Settings, load_settings

F = TypeVar("F", bound=Callable[..., Any])


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@contextmanager
def _session(settings: Settings) -> Iterator[Session]:
    from .storage import migrate
    from .storage.db import Database

    db = Database(settings.database_url)
    try:
        migrate.upgrade(db.engine)
        with db.session() as s:
            yield s
    finally:
        db.dispose()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """EduTeach: an LTI 1.3 tool for AI-assisted teaching material."""


# -- serve ---------------------------------------------------------------------------


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=None, type=int, help="Port (default: EDUTEACH_PORT or 5000).")
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(1, 64),
    help="Worker processes (default: 2 x cores, max 8).",
)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads per worker.",
)
def serve(host: str, port: int | None, workers: int | None, threads: int) -> None:
    """Run the tool with gunicorn (several gthread workers)."""
    from .serving import run_gunicorn

    settings = _settings()
    port = port or int(settings.extra.get("EDUTEACH_PORT", "5000"))
    run_gunicorn(settings, host=host, port=port, workers=workers, threads=threads)


@main.command()
@click.option("--burst", is_flag=True, help="Run the queued jobs, then exit.")
def worker(burst: bool) -> None:
    """Run generation jobs from Redis (RQ); needs EDUTEACH_REDIS_URL."""
    import redis
    from rq import Queue, Worker

    from .jobs.runner import RQ_QUEUE
    from .serving import with_model

    settings = _settings()
    if not settings.redis_url:
        raise click.ClickException(
            "EDUTEACH_REDIS_URL is not set: without Redis, jobs run inside `eduteach serve`."
        )
    redis_url = settings.redis_url
    settings, model_server = with_model(settings)
    if settings.llm_base_url:
        # RQ work-horses build their services from the environment (eduteach.jobs.tasks).
        os.environ.update(
            EDUTEACH_LLM_BASE_URL=settings.llm_base_url,
            EDUTEACH_LLM_MODEL=settings.llm_model or "",
            EDUTEACH_LLM_OFFLINE_DRAFT="1" if settings.llm_offline_draft else "0",
        )
    connection = redis.Redis.from_url(redis_url)
    try:
        Worker([Queue(RQ_QUEUE, connection=connection)], connection=connection).work(burst=burst)
    finally:
        if model_server is not None:
            model_server.stop()


# -- db ------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the latest schema."""
    from .storage import migrate
    from .storage.db import Database

    settings = _settings()
    database = Database(settings.database_url)
    try:
        before = migrate.current_revision(database.engine)
        migrate.upgrade(database.engine)
        after = migrate.current_revision(database.engine)
    except Exception as exc:
        raise click.ClickException(
            f"The database could not be migrated: {_first_line(exc)}"
        ) from None
    finally:
        database.dispose()
    if before == after:
        click.echo(f"Database is up to date (revision {after}).")
    else:
        click.echo(f"Database migrated from {before or 'empty'} to {after}.")


# -- platform ------------------------------------------------------------------------


@main.group()
def platform() -> None:
    """LMS registrations (issuer + client id, with deployments)."""


@platform.command("add")
@click.option(
    "--issuer",
    required=True,
    help="The platform's issuer (Canvas: https://canvas.instructure.com).",
)
@click.option("--client-id", required=True, help="The client id the LMS gave the tool.")
@click.option(
    "--deployment-id",
    "deployment_ids",
    multiple=True,
    required=True,
    help="Deployment id (repeat for several).",
)
@click.option("--auth-login-url", required=True, help="The LMS's OIDC authentication request URL.")
@click.option("--auth-token-url", required=True, help="The LMS's OAuth 2 access token URL.")
@click.option("--key-set-url", required=True, help="The LMS's public key set (JWKS) URL.")
@click.option("--name", default="", help="A name admins recognise, e.g. 'District Canvas'.")
@click.option(
    "--frame-origin",
    "frame_origins",
    multiple=True,
    help="Extra origin that frames the tool (e.g. https://school.instructure.com).",
)
def platform_add(
    issuer: str,
    client_id: str,
    deployment_ids: tuple[str, ...],
    auth_login_url: str,
    auth_token_url: str,
    key_set_url: str,
    name: str,
    frame_origins: tuple[str, ...],
) -> None:
    """Register a platform, or add deployments to one already registered."""
    from .lti.platforms import PlatformValues, RegistrationError, add_platform, find_platform

    settings = _settings()
    values = PlatformValues(
        issuer=issuer,
        client_id=client_id,
        deployment_ids=deployment_ids,
        auth_login_url=auth_login_url,
        auth_token_url=auth_token_url,
        key_set_url=key_set_url,
        name=name,
        frame_origins=frame_origins,
    )
    try:
        with _session(settings) as s:
            existed = find_platform(s, issuer.strip(), client_id.strip()) is not None
            registered, added = add_platform(s, values)
            label = registered.name
    except RegistrationError as exc:
        raise click.ClickException(str(exc)) from None
    verb = "Updated" if existed else "Registered"
    click.echo(f"{verb} {label} (issuer {issuer}, client id {client_id}).")
    if added:
        click.echo(f"Deployments added: {', '.join(added)}.")
    click.echo(
        f"Tool URLs for the LMS: login {settings.base_url}/lti/login, launch {settings.base_url}/lti/launch, "
        f"keys {settings.base_url}/lti/jwks"
    )


@platform.command("list")
def platform_list() -> None:
    """List registered platforms and their deployments."""
    from .lti.platforms import list_platforms

    with _session(_settings()) as s:
        rows = list_platforms(s)
        if not rows:
            click.echo("No platforms registered. Add one with: eduteach platform add --help")
            return
        for p in rows:
            click.echo(f"{p.name}\n  issuer:      {p.issuer}\n  client id:   {p.client_id}")
            click.echo(
                f"  deployments: {', '.join(d.deployment_id for d in p.deployments) or '(none)'}"
            )
            click.echo(
                f"  login URL:   {p.auth_login_url}\n  token URL:   {p.auth_token_url}\n  keys URL:    {p.key_set_url}"
            )


@platform.command("remove")
@click.option("--issuer", required=True)
@click.option("--client-id", required=True)
@click.option(
    "--deployment-id", "deployment_ids", multiple=True, help="Remove only these deployments."
)
def platform_remove(issuer: str, client_id: str, deployment_ids: tuple[str, ...]) -> None:
    """Remove a platform registration (or some of its deployments)."""
    from .lti.platforms import RegistrationError, remove_platform

    try:
        with _session(_settings()) as s:
            message = remove_platform(s, issuer, client_id, deployment_ids)
    except RegistrationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(message)


@platform.command("registration-url")
def platform_registration_url() -> None:
    """Print a dynamic registration URL to paste into Canvas or Moodle (valid 7 days)."""
    from .lti.registration import registration_code
    from .web.lti import REGISTRATION_CODE_DAYS

    settings = _settings()
    code = registration_code(settings.secret_key)
    click.echo(f"{settings.base_url}/lti/register?code={code}")
    click.echo(
        f"Paste it into your LMS's dynamic registration field within {REGISTRATION_CODE_DAYS} days. "
        "Moodle: Manage tools → Tool URL → Add LTI Advantage. Canvas: Developer Keys → LTI Registration.",
        err=True,
    )


# -- keys ----------------------------------------------------------------------------


@main.group()
def keys() -> None:
    """The tool's signing keys (published at /lti/jwks)."""


@keys.command("list")
def keys_list() -> None:
    """List signing keys and whether they are published."""
    from .lti import keys as tool_keys

    with _session(_settings()) as s:
        tool_keys.active_key(s)
        for key in tool_keys.list_keys(s):
            published = "published" if key.status != tool_keys.RETIRED else "not published"
            click.echo(
                f"{key.kid}  {key.status:<8}  {published:<13}  created {key.created_at:%Y-%m-%d %H:%M}"
            )


@keys.command("rotate")
def keys_rotate() -> None:
    """Start signing with a new key; the old one stays published until retired."""
    from .lti import keys as tool_keys

    with _session(_settings()) as s:
        tool_keys.active_key(s)
        key = tool_keys.rotate(s)
    click.echo(
        f"New active key {key.kid}. The previous key stays published; retire it with "
        "'eduteach keys retire --kid=KID' once platforms have refreshed (a day is safe)."
    )


@keys.command("retire")
@click.argument("kid", required=False)
@click.option(
    "--kid",
    "kid_option",
    metavar="KID",
    help="The key id, as 'eduteach keys list' shows it (--kid=KID also works for an id "
    "starting with '-').",
)
def keys_retire(kid: str | None, kid_option: str | None) -> None:
    """Stop publishing a previous key: eduteach keys retire KID, or --kid=KID."""
    from .lti import keys as tool_keys

    if (kid is None) == (kid_option is None):
        raise click.UsageError("Give the key id once: eduteach keys retire --kid=KID.")
    kid = kid_option if kid is None else kid
    assert kid is not None

    try:
        with _session(_settings()) as s:
            tool_keys.retire(s, kid)
    except tool_keys.KeyManagementError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Key {kid} retired and no longer published.")


# -- grades --------------------------------------------------------------------------


@main.group()
def grades() -> None:
    """Scores on their way to the LMS gradebook."""


@grades.command("deliver")
@click.option("--loop", is_flag=True, help="Keep delivering until stopped (Ctrl+C or SIGTERM).")
def grades_deliver(loop: bool) -> None:
    """Send the scores that are due now (web workers do this too; claims keep them apart)."""
    import signal

    from .grades import DeliveryRunner, DeliverySummary, deliver_due
    from .grades.delivery import ROUND_LIMIT
    from .services import Services
    from .storage import migrate

    services = Services.build(_settings())
    try:
        migrate.upgrade(services.db.engine)
        if loop:
            runner = DeliveryRunner(services)
            signal.signal(signal.SIGTERM, lambda *_: runner.request_stop())
            click.echo("Delivering scores until stopped (Ctrl+C).", err=True)
            try:
                runner.run()
            except KeyboardInterrupt:
                runner.request_stop()
            return
        total = DeliverySummary()
        while True:
            summary = deliver_due(services)
            total.add(summary)
            if summary.handled < ROUND_LIMIT:
                break
    finally:
        services.db.dispose()
    click.echo(
        f"Delivered {total.delivered}, to try again later {total.retrying}, "
        f"needing a teacher's attention {total.needs_attention}, "
        f"replaced by newer scores {total.superseded}."
    )


@grades.command("list")
@click.option(
    "--needs-attention", is_flag=True, help="Only scores the LMS refused (a teacher can resend)."
)
def grades_list(needs_attention: bool) -> None:
    """List scores not yet in the LMS gradebook (without student ids or scores)."""
    from .grades import waiting_scores

    with _session(_settings()) as s:
        rows = waiting_scores(s, needs_attention_only=needs_attention)
        if not rows:
            click.echo(
                "No scores need attention."
                if needs_attention
                else "Every score has reached the LMS."
            )
            return
        for row in rows:
            d = row.delivery
            click.echo(
                f"#{d.id}  {d.status:<15}  {row.course_title or 'Untitled course'} / "
                f"{row.activity_title}  submitted {d.timestamp:%Y-%m-%d %H:%M} UTC  tries {d.tries}"
            )
            if d.last_error:
                click.echo(f"    {d.last_error}")


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def run() -> None:
    """Entry point that turns configuration errors into one sentence."""
    try:
        main(standalone_mode=True)
    except ConfigError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)


# -- demo ----------------------------------------------------------------------------


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address for both servers.")
@click.option("--port", default=5000, show_default=True, help="EduTeach's port.")
@click.option("--lms-port", default=5001, show_default=True, help="The practice LMS's port.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 16))
def demo(host: str, port: int, lms_port: int, workers: int) -> None:
    """Run EduTeach with its practice LMS (a demo course, a teacher and two students)."""
    from .demo import run_demo

    os.environ.setdefault("EDUTEACH_BASE_URL", f"http://{host}:{port}")
    run_demo(_settings(), host=host, port=port, lms_port=lms_port, workers=workers)


main.add_command(generate)
main.add_command(ai_levels)  # the school's AI-use scale (issue 6)
main.add_command(standards)  # CASE standards frameworks (issue 6)
main.add_command(modify.modify)  # modify material (issue 6)
main.add_command(modify.readability)  # reading level of a file (issue 6)
