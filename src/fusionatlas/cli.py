"""The command line: parse, call the core, print. Exit 0 success, 1 failure, 2 bad input or usage."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:  # commands import what they need when they run: `match` answers from a cold process
    from rich.progress import Progress as RichBar
    from sqlalchemy import Engine

from fusionatlas.dataset import BUNDLED
from fusionatlas.dataset.problems import BadInput
from fusionatlas.domain.audience import Audience
from fusionatlas.domain.values import MAX_SEARCH_QUERY, MAX_TOP, control_character
from fusionatlas.store.engine import StoreError, open_engine

app = typer.Typer(
    help="FusionAtlas: a sourced, bilingual atlas of the fusion-energy industry.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
T = TypeVar("T")


class Settings:
    db: str | None = None


settings = Settings()


@app.callback()
def main_options(
    db: Annotated[
        str | None,
        typer.Option("--db", metavar="URL", help="Database URL (else $FUSIONATLAS_DB, else sqlite:///fusionatlas.db)."),
    ] = None,
) -> None:
    settings.db = db


class BarProgress:
    """Core progress reports drawn as rich progress bars on stderr."""

    def __init__(self, bar: RichBar) -> None:
        self.bar = bar
        self.task: Any = None

    def start(self, label: str, total: int | None) -> None:
        if self.task is not None:
            self.bar.update(self.task, visible=False)
        self.task = self.bar.add_task(label, total=total)

    def advance(self, amount: int) -> None:
        self.bar.advance(self.task, amount)


@contextmanager
def progress_bars() -> Iterator[BarProgress]:
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as RichBar

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with RichBar(*columns, console=err, transient=True) as bar:
        yield BarProgress(bar)


def run(action: Callable[[], T]) -> T:
    """Run a command's core call; known failures become a message on stderr and an exit code."""
    try:
        return action()
    except (BadInput, StoreError) as error:
        err.print(f"[red]error:[/red] {error}", markup=True, highlight=False)
        raise typer.Exit(2) from None
    except KeyError as error:
        err.print(f"error: {error.args[0]}", highlight=False)
        raise typer.Exit(2) from None
    except Exception as error:
        if os.environ.get("FUSIONATLAS_DEBUG"):
            raise
        err.print(f"error: {type(error).__name__}: {error}", highlight=False)
        raise typer.Exit(1) from None


def check_argument(name: str, text: str | None) -> None:
    """Arguments are refused, exit 2, if they hold a control character (as the web app refuses them)."""
    where = control_character(text or "")
    if where:
        err.print(f"error: {name} contains a control character ({where}): remove it", highlight=False)
        raise typer.Exit(2)


def engine() -> Engine:
    # A command is short-lived: no connection pool to outlive it.
    return run(lambda: open_engine(settings.db, pooled=False))


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def warn_all(warnings: list[str]) -> None:
    for warning in warnings:
        err.print(f"warning: {warning}", highlight=False, markup=False)


def result_table(title: str, columns: list[str], ids: list[str]) -> Table:
    """A table whose `id` column is never cut, so that an id can be copied into the next command; the other
    columns wrap to the terminal's width instead."""
    table = Table(title=title)
    for column in columns:
        if column == "id":
            table.add_column(column, no_wrap=True, min_width=max((len(i) for i in ids), default=2))
        elif column in _TEXT_COLUMNS:
            table.add_column(column, overflow="fold", ratio=1, min_width=10)
        else:  # short values: scores, codes, counts
            table.add_column(column, overflow="fold", min_width=len(column))
    return table


_TEXT_COLUMNS = {"name", "snippet", "why", "organization", "opportunity", "technology"}


def counts_table(title: str, counts: dict[str, int]) -> Table:
    table = Table(title=title)
    table.add_column("table")
    table.add_column("records", justify="right")
    for name, count in counts.items():
        table.add_row(name, str(count))
    return table


@app.command()
def init() -> None:
    """Create the database schema, or migrate it to the newest version."""
    from fusionatlas.store.migrate import upgrade

    db = engine()
    run(lambda: upgrade(db))
    err.print("schema is up to date")


@app.command()
def load(
    folder: Annotated[Path | None, typer.Argument(help="Data package folder (default: the bundled atlas).")] = None,
    check: Annotated[bool, typer.Option("--check", help="Validate only; write nothing.")] = False,
) -> None:
    """Load a data package (idempotent: loading twice changes nothing)."""
    from fusionatlas.dataset.package import load_package, validate_package

    folder = folder or BUNDLED
    with progress_bars() as bars:
        if check:
            report = run(lambda: validate_package(folder, bars))
        else:
            db = engine()
            report = run(lambda: load_package(db, folder, bars))
    warn_all(report.warnings)
    verb = "valid" if check else "loaded"
    out.print(counts_table(f"{folder.name or folder}: {verb}", report.counts))


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8 or Shift_JIS/CP932), XLSX or JSON file.")],
    table_name: Annotated[str, typer.Option("--table", help="Table to import into, e.g. organizations.")],
) -> None:
    """Import rows into a table: all or nothing; rows whose id exists update that record."""
    from fusionatlas.dataset.imports import import_file

    db = engine()
    with progress_bars() as bars:
        report = run(lambda: import_file(db, file, table_name, bars))
    warn_all(report.warnings)
    out.print(f"imported {report.count} {report.table} records from {file.name}")


@app.command()
def export(
    target: Annotated[Path, typer.Argument(metavar="OUT", help="Output file (json, xlsx) or folder (csv).")],
    fmt: Annotated[str, typer.Option("--format", help="csv | xlsx | json")] = "json",
    public_only: Annotated[
        bool, typer.Option("--public-only", help="Leave out members-only and private records.")
    ] = False,
) -> None:
    """Export the whole atlas as JSON, a CSV data package, or an XLSX workbook."""
    from fusionatlas.dataset.exports import export as write

    db = engine()
    counts = run(lambda: write(db, target, fmt, Audience.operator(public_only)))
    err.print(f"exported {sum(counts.values())} records to {target}")


@app.command()
def stats(
    public_only: Annotated[bool, typer.Option("--public-only", help="Count public records only.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Count the records in every table."""
    from fusionatlas.store import queries
    from fusionatlas.store.migrate import upgrade

    db = engine()

    def count() -> dict[str, int]:
        upgrade(db)
        with db.connect() as connection:
            return queries.counts(connection, Audience.operator(public_only))

    counts = run(count)
    if as_json:
        print_json({"counts": counts})
    else:
        out.print(counts_table("FusionAtlas", counts))


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words in Japanese or English.")],
    top: Annotated[int, typer.Option("--top", min=1, max=MAX_TOP, help="How many results.")] = 10,
    public_only: Annotated[bool, typer.Option("--public-only", help="Search public records only.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search every record by name, synonym and description, across Japanese and English."""
    from fusionatlas.store import queries
    from fusionatlas.store.migrate import upgrade

    check_argument("the query", query)
    if len(query) > MAX_SEARCH_QUERY:
        err.print(f"error: the query is longer than {MAX_SEARCH_QUERY:,} characters")
        raise typer.Exit(2)
    db = engine()

    def find() -> list[queries.Hit]:
        upgrade(db)
        with db.connect() as connection:
            return queries.search(connection, query, Audience.operator(public_only), top)

    hits = run(find)
    if as_json:
        print_json({"query": query, "results": [hit.__dict__ for hit in hits]})
        return
    if not hits:
        out.print(f"no records match {query!r}")
        return
    table = result_table(f"search: {query}", ["table", "id", "name", "snippet"], [hit.id for hit in hits])
    for hit in hits:
        name = " / ".join(filter(None, (hit.name_en, hit.name_ja)))
        table.add_row(hit.table, hit.id, name, hit.snippet)
    out.print(table)


def _index(public_only: bool) -> tuple[Any, Audience]:
    """The matching index of the database, and the audience this command reads as."""
    from fusionatlas.match.persist import index_root, load_or_build, load_persisted

    db = engine()

    def build() -> Any:
        # A folder persisted for the store's data version was built from a migrated store: load it without
        # importing the migrations (Alembic). Otherwise migrate, then build and persist (match/persist.py).
        with db.connect() as connection:
            index = load_persisted(connection, index_root(db.url))
        if index is not None:
            return index
        from fusionatlas.store.migrate import upgrade

        upgrade(db)
        with db.connect() as connection:
            return load_or_build(connection, index_root(db.url))

    return run(build), Audience.operator(public_only)


def _why_lines(why: list[Any]) -> str:
    from rich.markup import escape

    return "\n".join(escape(f"[{w.kind}] {w.en}") for w in why[:3])


@app.command()
def match(
    text: Annotated[str, typer.Argument(help="The need, in Japanese or English.")],
    top: Annotated[int, typer.Option("--top", min=1, max=MAX_TOP, help="How many organizations.")] = 10,
    country: Annotated[
        str | None, typer.Option("--country", help="Only organizations of this country (ISO code).")
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="Only organizations of this kind (company, startup...).")
    ] = None,
    min_trl: Annotated[int | None, typer.Option("--min-trl", min=1, max=9, help="Readiness the need requires.")] = None,
    public_only: Annotated[bool, typer.Option("--public-only", help="Match on public records only.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Rank the organizations able to meet a need, with the reasons for each."""
    from dataclasses import asdict

    from fusionatlas.match.engine import MatchError, check_country, check_kind
    from fusionatlas.match.engine import match as rank

    if not text.strip():
        err.print("error: the need is empty: describe what you are looking for")
        raise typer.Exit(2)
    check_argument("the need", text)
    try:  # before the index is built: a mistyped option is told at once
        check_country(country)
        check_kind(kind)
    except MatchError as error:
        err.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    index, audience = _index(public_only)
    try:
        result = rank(index, text, top, country, kind, min_trl, audience)
    except MatchError as error:
        err.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    if as_json:
        print_json(asdict(result))
        return
    concepts = ", ".join(f"{c['name_en']} / {c['name_ja']}" for c in result.concepts) or "none"
    out.print(f"technologies recognised: {concepts}", highlight=False)
    if result.note:
        out.print(f"note: {result.note}", highlight=False)
    if not result.results:
        return
    ids = [item.org_id for item in result.results]
    table = result_table(f"match: {text[:80]}", ["score", "id", "organization", "country", "why"], ids)
    for item in result.results:
        name = " / ".join(filter(None, (item.name_en, item.name_ja)))
        table.add_row(f"{item.score:.3f}", item.org_id, name, item.country, _why_lines(item.why))
    out.print(table)


@app.command()
def opportunities(
    org_id: Annotated[str | None, typer.Argument(metavar="[ORG_ID]", help="An organization of the atlas.")] = None,
    text: Annotated[str | None, typer.Option("--text", help="Seeds of a company not in the atlas.")] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=MAX_TOP, help="How many opportunities.")] = 10,
    public_only: Annotated[bool, typer.Option("--public-only", help="Use public records only.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Open needs and adjacent technologies that fit an organization's seeds."""
    from dataclasses import asdict

    from fusionatlas.match.engine import MatchError
    from fusionatlas.match.opportunities import opportunities as find
    from fusionatlas.match.opportunities import seeds_of_organization, seeds_of_text

    if (org_id is None) == (text is None) or (text is not None and not text.strip()):
        err.print("error: give either an ORG_ID or --text SEEDS (not both, not neither)")
        raise typer.Exit(2)
    check_argument("the organization id" if org_id else "the text", org_id or text)
    index, audience = _index(public_only)
    try:
        seeds = seeds_of_organization(index, org_id, audience) if org_id else seeds_of_text(index, text or "")
    except MatchError as error:
        err.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    found = find(index, seeds, top, audience)
    note = (
        None if found else "nothing in the atlas fits these seeds: name a technology (e.g. REBCO, gyrotron, ダイバータ)"
    )
    key = {"org_id": org_id} if org_id else {"text": text}
    if as_json:
        print_json({**key, "results": [asdict(o) for o in found], "note": note})
        return
    if note:
        out.print(f"note: {note}", highlight=False)
        return
    title = f"opportunities: {org_id or (text or '')[:60]}"
    table = result_table(title, ["score", "kind", "id", "opportunity", "why"], [item.id for item in found])
    for item in found:
        name = " / ".join(filter(None, (item.name_en, item.name_ja)))
        kind = item.kind if item.kind == "technology" else f"need ({item.status})"
        table.add_row(f"{item.score:.3f}", kind, item.id, name, _why_lines(item.why))
    out.print(table)


@app.command()
def gaps(
    country: Annotated[str, typer.Option("--country", help="Focus country (ISO code).")] = "JP",
    partners: Annotated[str, typer.Option("--partners", metavar="CC,CC", help="Partner countries.")] = "",
    weights: Annotated[Path | None, typer.Option("--weights", metavar="FILE", help="Weights (YAML or JSON).")] = None,
    budget: Annotated[
        float | None, typer.Option("--budget", metavar="AMOUNT", help="Budget for support actions.")
    ] = None,
    actions: Annotated[
        Path | None, typer.Option("--actions", metavar="FILE", help="Candidate actions (CSV/YAML).")
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=1000, help="How many technologies to show.")] = 10,
    show_sensitivity: Annotated[
        bool, typer.Option("--sensitivity", help="How the ranking moves with each weight.")
    ] = False,
    report: Annotated[
        Path | None, typer.Option("--report", metavar="FILE", help="Write an .html or .xlsx report.")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Report language: ja or en.")] = "ja",
    public_only: Annotated[bool, typer.Option("--public-only", help="Use public records only.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Rank the technologies by gap for a country: suppliers, readiness, unmet needs, concentration."""
    from fusionatlas.analysis.atlas import read_atlas
    from fusionatlas.analysis.gaps import GapError, analyse, read_weights, sensitivity
    from fusionatlas.analysis.portfolio import read_actions, target
    from fusionatlas.analysis.report import write_report
    from fusionatlas.store.migrate import upgrade

    if (budget is None) != (actions is None):
        err.print("error: --budget and --actions go together")
        raise typer.Exit(2)
    db = engine()

    def atlas() -> Any:
        upgrade(db)
        with db.connect() as connection:
            return read_atlas(connection, Audience.operator(public_only))

    data = run(atlas)
    try:
        found = analyse(data, country, partners.split(","), read_weights(weights) if weights else None)
        portfolio = None
        if budget is not None and actions is not None:
            portfolio = target(found, read_actions(actions, set(data.technologies)), budget)
        if report:
            write_report(found, report, lang, top, portfolio)
    except GapError as error:
        err.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    if as_json:
        document = found.as_json()
        document["technologies"] = document["technologies"][:top]
        if show_sensitivity:
            document["sensitivity"] = sensitivity(found, min(top, 10))
        if portfolio:
            document["portfolio"] = portfolio
        print_json(document)
        return
    _print_gaps(found, top, portfolio)
    if report:
        err.print(f"report written to {report}")


def _print_gaps(found: Any, top: int, portfolio: dict[str, Any] | None) -> None:
    partners = ", ".join(found.partners) or "none"
    shown = found.technologies[:top]
    columns = ["score", "id", "technology", "domestic", "partner", "other", "unmet", "why"]
    table = result_table(f"gaps for {found.country} (partners: {partners})", columns, [g.technology_id for g in shown])
    for gap in shown:
        why = "\n".join(reason.en for reason in gap.reasons[:2])
        table.add_row(
            f"{gap.score:.3f}",
            gap.technology_id,
            f"{gap.name_en} / {gap.name_ja}",
            str(gap.domestic),
            str(gap.partner),
            str(gap.other),
            str(len(gap.unmet_needs)),
            why,
        )
    out.print(table)
    if portfolio:
        for method in ("optimal", "greedy"):
            chosen = portfolio[method]
            names = ", ".join(a["id"] for a in chosen["actions"]) or "none"
            out.print(
                f"{method}: cost {chosen['cost']:,.0f}, weighted gap closed {chosen['value']:.3f}: {names}",
                highlight=False,
            )


user_app = typer.Typer(help="Accounts of the web app (the operator creates the first admin).", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    email: Annotated[str, typer.Argument(help="The user's email (their login).")],
    role: Annotated[str, typer.Option("--role", help="admin | editor | member")],
    org: Annotated[str | None, typer.Option("--org", metavar="ORG_ID", help="The user's organization.")] = None,
    password: Annotated[
        str | None, typer.Option("--password", help="The password (else prompted twice, or --generate).")
    ] = None,
    generate: Annotated[bool, typer.Option("--generate", help="Generate a password and print it once.")] = False,
) -> None:
    """Create a web user (admin, editor or member), e.g. the first admin."""
    import secrets

    from fusionatlas.store import accounts
    from fusionatlas.store.migrate import upgrade

    if role not in accounts.ROLES:
        err.print(f"error: unknown role {role!r}: use one of {', '.join(accounts.ROLES)}")
        raise typer.Exit(2)
    if generate:
        password = secrets.token_urlsafe(15)
    elif password is None:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True, err=True)
    db = engine()

    def create() -> accounts.User:
        upgrade(db)
        try:
            with db.begin() as connection:
                return accounts.create_user(connection, email, password or "", role, org)
        except accounts.AccountError as error:  # bad input: exit 2, like any other
            raise BadInput(str(error)) from None

    user = run(create)
    err.print(f"created {user.role} {user.email} (id {user.id})" + (f" of {user.org_id}" if user.org_id else ""))
    if generate:
        # Printed this once and never stored in the clear.
        sys.stdout.write(f"password: {password}\n")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (default: one per core, at most 4).")
    ] = min(os.cpu_count() or 1, 4),
) -> None:
    """Start the web app."""
    from fusionatlas.store.engine import database_url
    from fusionatlas.store.migrate import upgrade

    db = engine()  # fail early, with a clear message, when the database cannot be opened
    run(lambda: upgrade(db))  # once, here: workers starting together must not race to create the schema
    os.environ["FUSIONATLAS_DB"] = database_url(settings.db)
    os.environ["FUSIONATLAS_WARM"] = "1"
    # Pages hold the GIL while they render: processes, not threads, use more than one core.
    from fusionatlas.web.serving import serve as serve_app

    serve_app(host, port, workers)


@app.command()
def digest(
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url", metavar="URL", help="The site's address for the e-mails' links (else $FUSIONATLAS_BASE_URL)."
        ),
    ] = None,
) -> None:
    """E-mail each user the new and changed matches of their watches since their last digest (run it daily)."""
    from fusionatlas.store.migrate import upgrade
    from fusionatlas.watch.digest import DigestError, SmtpSettings, send_digests
    from fusionatlas.watch.digest import base_url as site_address

    try:
        smtp = SmtpSettings.from_env()
        base = site_address(base_url)
    except (DigestError, ValueError) as error:
        err.print(f"error: {error}", highlight=False, markup=False)
        raise typer.Exit(2) from None
    if smtp is None:
        err.print("error: FUSIONATLAS_SMTP_HOST is not set: no e-mail can be sent (docs/deploy.md)", highlight=False)
        raise typer.Exit(2)
    db = engine()
    run(lambda: upgrade(db))
    report = run(lambda: send_digests(db, smtp, base))
    err.print(
        f"sent {report.sent} e-mails ({report.matches} matches); {report.skipped} users had nothing new",
        highlight=False,
    )
    for failure in report.failed:
        err.print(f"error: not sent: {failure}", highlight=False, markup=False)
    if report.failed:
        raise typer.Exit(1)


@app.command()
def synth(
    orgs: Annotated[int, typer.Option("--orgs", min=1, help="Number of organizations.")],
    target: Annotated[Path, typer.Option("--out", metavar="DIR", help="Folder to write the package to.")],
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same package).")] = 1,
    capabilities_per_org: Annotated[int, typer.Option(help="Capabilities per organization.")] = 5,
) -> None:
    """Write a synthetic data package of realistic shape, for scale tests and benchmarks."""
    from fusionatlas.dataset.synth import write_synthetic

    with progress_bars() as bars:
        counts = run(lambda: write_synthetic(target, orgs, seed, capabilities_per_org, bars))
    out.print(counts_table(f"synthetic package in {target}", counts))


def main() -> None:
    app()
