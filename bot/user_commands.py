"""`complaintbot users ...`: the web console's accounts from the command line."""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING, Annotated

import typer

from bot.settings import Settings, get_settings

if TYPE_CHECKING:
    from storage.account_store import AccountStore

users_app = typer.Typer(
    help="Accounts of the web console (admins, operators).", no_args_is_help=True
)

CLI_ACTOR = "cli:" + getpass.getuser()


def _accounts(settings: Settings) -> AccountStore:
    from storage import SchemaOutdated
    from storage.account_store import AccountStore
    from storage.database import ensure_schema, open_engine

    engine = open_engine(settings.database_url, pool_size=1)
    try:
        ensure_schema(engine)
    except SchemaOutdated as exc:
        engine.dispose()
        typer.echo(str(exc), err=True)
        raise typer.Exit(3) from None
    return AccountStore(engine)


def _link(settings: Settings, token: str) -> str:
    from bot.web.context import public_url

    return f"{public_url(settings)}/account/setup/{token}"


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Sign-in name: 2-64 of a-z 0-9 . _ -")],
    role: Annotated[str, typer.Option(help="admin or operator.")] = "operator",
    link: Annotated[
        bool, typer.Option("--link", help="Print a one-time link instead of asking a password.")
    ] = False,
) -> None:
    """Add an account; its password is asked here, or chosen by its owner through a link."""
    from storage.accounts import AccountError

    settings = get_settings()
    accounts = _accounts(settings)
    try:
        password = None
        if not link:
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        added = accounts.add(name, role, password, actor=CLI_ACTOR)
        typer.echo(f"added {added.name} ({added.role})")
        if link:
            token = accounts.password_link(added.name, actor=CLI_ACTOR)
            typer.echo(
                f"one-time link to choose the password (24 hours):\n  {_link(settings, token)}"
            )
    except AccountError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    finally:
        accounts.engine.dispose()


@users_app.command("list")
def users_list() -> None:
    """List the accounts: name, role, status."""
    accounts = _accounts(get_settings())
    try:
        for account in accounts.listing():
            status = (
                "disabled"
                if account.disabled_at
                else ("active" if account.has_password else "waiting for a password")
            )
            typer.echo(f"{account.name}\t{account.role}\t{status}")
    finally:
        accounts.engine.dispose()


@users_app.command("disable")
def users_disable(name: Annotated[str, typer.Argument(help="The account to disable.")]) -> None:
    """Disable an account; its open console sessions end at once."""
    from storage.accounts import AccountError

    accounts = _accounts(get_settings())
    try:
        accounts.disable(name, actor=CLI_ACTOR)
        typer.echo(f"disabled {name.lower()}")
    except AccountError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    finally:
        accounts.engine.dispose()


@users_app.command("link")
def users_link(name: Annotated[str, typer.Argument(help="The account.")]) -> None:
    """Print a new one-time link that lets the account's owner choose a new password."""
    from storage.accounts import AccountError

    settings = get_settings()
    accounts = _accounts(settings)
    try:
        token = accounts.password_link(name, actor=CLI_ACTOR)
        typer.echo(_link(settings, token))
    except AccountError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    finally:
        accounts.engine.dispose()
