"""The command line: parse, call the core, print. Exit 0 success, 1 failure, 2 bad input or usage."""

from __future__ import annotations

import datetime as dt
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
from fusionatlas.domain.messages import japanese
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
    lang: str = "en"


def default_language() -> str:
    """ja when the locale is Japanese (LANG=ja_JP.UTF-8, or LC_ALL/LC_MESSAGES), else en."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if value := os.environ.get(name):
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


settings = Settings()


@app.callback()
def main_options(
    db: Annotated[
        str | None,
        typer.Option("--db", metavar="URL", help="Database URL (else $FUSIONATLAS_DB, else sqlite:///fusionatlas.db)."),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", metavar="ja|en", help="Language of messages and reports (else from $LANG)."),
    ] = None,
) -> None:
    if lang not in (None, "ja", "en"):
        err.print(f"error: --lang must be ja or en, not {lang!r}", highlight=False)
        raise typer.Exit(2)
    settings.db = db
    settings.lang = lang or default_language()


def error_text(message: str) -> str:
    """An error line in the user's language (domain/messages.py)."""
    return f"エラー: {japanese(message)}" if settings.lang == "ja" else f"error: {message}"


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
        err.print(error_text(str(error)), highlight=False, style="red")
        raise typer.Exit(2) from None
    except KeyError as error:
        err.print(error_text(str(error.args[0])), highlight=False)
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


_TEXT_COLUMNS = {"name", "snippet", "why", "organization", "opportunity", "technology", "message"}


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
def check(
    kinds: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="Only findings of this kind (repeatable): overdue, unverified, "
            "weak_source, duplicate, or a kind another package registers.",
        ),
    ] = None,
    public_only: Annotated[bool, typer.Option("--public-only", help="Check public records only.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Report what needs attention: overdue milestones, unverified records, weak sources, duplicates.

    Exit 0 when there is no finding, 1 when there are findings, 2 for a bad --kind or database."""
    from datetime import date

    from fusionatlas.analysis.check import run_checks
    from fusionatlas.store.migrate import upgrade

    db = engine()

    def find() -> Any:
        upgrade(db)
        with db.connect() as connection:
            return run_checks(connection, Audience.operator(public_only), date.today(), kinds)

    report = run(find)
    if as_json:
        print_json(report.as_json())
    elif not report.findings:
        out.print(f"no findings (as of {report.as_of})")
    else:
        table = result_table(
            f"check: {len(report.findings)} findings as of {report.as_of}",
            ["kind", "table", "id", "message"],
            [f["id"] for f in report.findings],
        )
        for found in report.findings:
            table.add_row(found["kind"], found["table"], found["id"], found["message_en"])
        out.print(table)
    if report.findings:
        raise typer.Exit(1)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words in Japanese or English.")],
    top: Annotated[int, typer.Option("--top", min=1, max=MAX_TOP, help="How many results.")] = 10,
    public_only: Annotated[bool, typer.Option("--public-only", help="Search public records only.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search every record by name, synonym and description, across Japanese and English; organizations
    also by their reading (kana or romaji)."""
    from fusionatlas.search.index import Result, SearchIndex
    from fusionatlas.store.migrate import upgrade

    check_argument("the query", query)
    if len(query) > MAX_SEARCH_QUERY:
        err.print(f"error: the query is longer than {MAX_SEARCH_QUERY:,} characters")
        raise typer.Exit(2)
    db = engine()

    def find() -> list[Result]:
        upgrade(db)
        with db.connect() as connection:
            return SearchIndex.build(connection, Audience.operator(public_only)).ranked(query, top)

    hits = run(find)
    if as_json:
        print_json({"query": query, "results": [hit.as_json() for hit in hits]})
        return
    if not hits:
        out.print(f"no records match {query!r}")
        return
    table = result_table(f"search: {query}", ["table", "id", "name", "snippet"], [hit.id for hit in hits])
    for hit in hits:
        name = " / ".join(filter(None, (hit.name_en, hit.name_ja)))
        table.add_row(hit.kind, hit.id, name, hit.snippet_ja if settings.lang == "ja" else hit.snippet)
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
    lang: Annotated[
        str | None, typer.Option("--lang", help="Report language: ja or en (else the global --lang).")
    ] = None,
    public_only: Annotated[bool, typer.Option("--public-only", help="Use public records only.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Rank the technologies by gap for a country: suppliers, readiness, unmet needs, concentration."""
    from fusionatlas.analysis.atlas import read_atlas
    from fusionatlas.analysis.gap_inputs import read_gap_inputs
    from fusionatlas.analysis.gaps import GapError, analyse, check_country, read_weights, sensitivity
    from fusionatlas.analysis.portfolio import read_actions, target
    from fusionatlas.analysis.report import write_report
    from fusionatlas.store.migrate import upgrade

    if (budget is None) != (actions is None):
        err.print("error: --budget and --actions go together")
        raise typer.Exit(2)
    try:
        check_country(country)
    except GapError as error:
        err.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    db = engine()

    def atlas() -> tuple[Any, Any]:
        upgrade(db)
        audience = Audience.operator(public_only)
        with db.connect() as connection:
            data = read_atlas(connection, audience)
            return data, read_gap_inputs(connection, data, country, audience)

    data, given = run(atlas)
    try:
        found = analyse(
            data,
            country,
            partners.split(","),
            read_weights(weights) if weights else None,
            inputs=given.as_inputs(),
            scenario=given.scenario,
        )
        portfolio = None
        if budget is not None and actions is not None:
            portfolio = target(found, read_actions(actions, set(data.technologies)), budget)
        if report:
            write_report(found, report, lang or settings.lang, top, portfolio)
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


roadmap_app = typer.Typer(
    help="The roadmap: tracks, critical paths, P50/P80 dates and the chance of each announced date.",
    invoke_without_command=True,
)
app.add_typer(roadmap_app, name="roadmap")
DrawsOption = Annotated[int, typer.Option("--draws", min=100, max=200_000, help="Monte Carlo draws.")]
SeedOption = Annotated[int, typer.Option("--seed", help="Random seed (same seed, same numbers).")]
AsOfOption = Annotated[str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="Date to assess (else today).")]


def _as_of(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        err.print(f"error: --as-of: {text!r} is not a date (YYYY-MM-DD)", highlight=False)
        raise typer.Exit(2) from None


def _read_roadmap(public_only: bool) -> Any:
    from fusionatlas.roadmap.read import read_roadmap
    from fusionatlas.store.migrate import upgrade

    db = engine()

    def read() -> Any:
        upgrade(db)
        with db.connect() as connection:
            return read_roadmap(connection, Audience.operator(public_only))

    return run(read)


@roadmap_app.callback()
def roadmap(
    ctx: typer.Context,
    track: Annotated[str | None, typer.Option("--track", metavar="ID", help="One track (else all).")] = None,
    draws: DrawsOption = 10_000,
    seed: SeedOption = 20261206,
    as_of: AsOfOption = None,
    public_only: Annotated[bool, typer.Option("--public-only", help="Use public records only.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The roadmap: tracks, critical paths, P50/P80 dates and the chance of each announced date."""
    if ctx.invoked_subcommand:
        return
    from fusionatlas.roadmap.report import UnknownTrack, roadmap_report

    check_argument("--track", track)
    today = _as_of(as_of)
    data = _read_roadmap(public_only)
    try:
        report = roadmap_report(data, today, track, draws, seed)
    except UnknownTrack:
        err.print(f"error: unknown track {track!r} (tracks: {', '.join(t['id'] for t in data.tracks)})")
        raise typer.Exit(2) from None
    if as_json:
        print_json(report)
        return
    for item in report["tracks"]:
        out.print(f"[bold]{item['name_en']}[/bold] ({item['id']}): critical path " + " -> ".join(item["critical_path"]))
    rows = [m for m in report["milestones"] if m["status"] not in ("achieved", "cancelled")]
    table = result_table(
        f"roadmap as of {report['as_of']}",
        ["id", "announced", "p50", "p80", "p_on_time", "status"],
        [m["id"] for m in rows],
    )
    for m in rows:
        flag = "*" if m["critical"] else ""
        on_time = "" if m["p_on_time"] is None else f"{m['p_on_time']:.0%}"
        table.add_row(m["id"] + flag, m["announced"] or "", m["p50"] or "", m["p80"] or "", on_time, m["status"])
    out.print(table)
    ref, test = report["reference_class"], report["backtest"]
    out.print(
        f"reference class: {ref['n']} cases, median slip {ref['median_slip_years']} y, "
        f"P80 slip {ref['p80_slip_years']} y; "
        f"backtest: P80 coverage {test['p80_coverage']}, P50 median error {test['p50_median_error_years']} y "
        f"(announced date: {test['naive_median_error_years']} y). * on the critical path"
    )


@roadmap_app.command("risk")
def roadmap_risk(
    milestone: Annotated[str, typer.Argument(help="Milestone id (ms:...).")],
    draws: DrawsOption = 10_000,
    seed: SeedOption = 20261206,
    as_of: AsOfOption = None,
    public_only: Annotated[bool, typer.Option("--public-only", help="Use public records only.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """One milestone's P50/P80, the chance of its announced date, and the milestones that drive its risk."""
    from fusionatlas.roadmap.report import risk_report

    check_argument("MILESTONE", milestone)
    today = _as_of(as_of)
    data = _read_roadmap(public_only)
    report = run(lambda: risk_report(data, today, milestone, draws, seed))
    if as_json:
        print_json(report)
        return
    if report["p50"] is None:
        out.print(f"{report['title_en']}: {report['status']}, nothing to simulate")
        return
    out.print(
        f"{report['title_en']}: announced {report['announced']}, P50 {report['p50']}, P80 {report['p80']}, "
        f"P(on time) {report['p_on_time']:.0%}; critical path " + " -> ".join(report["critical_path"])
    )
    table = result_table(
        "what drives the risk", ["id", "criticality", "announced", "p50"], [d["id"] for d in report["drivers"]]
    )
    for d in report["drivers"]:
        table.add_row(d["id"], f"{d['criticality']:.0%}", d["announced"], d["p50"] or "achieved")
    out.print(table)


@roadmap_app.command("backtest")
def roadmap_backtest(
    draws: DrawsOption = 10_000,
    seed: SeedOption = 20261206,
    confirmed_only: Annotated[bool, typer.Option("--confirmed-only", help="Leave out unconfirmed cases.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Leave-one-out backtest over the reference class, beside the announced-date forecast in the same run."""
    from fusionatlas.roadmap.report import backtest_report

    data = _read_roadmap(False)
    report = run(lambda: backtest_report(data, draws, seed, confirmed_only))
    if as_json:
        print_json(report)
        return
    table = result_table(
        "leave-one-out", ["id", "planned", "actual", "p50", "p80", "covered"], [c["id"] for c in report["cases"]]
    )
    for c in report["cases"]:
        table.add_row(c["id"], c["planned"], c["actual"], c["p50"], c["p80"], "yes" if c["covered"] else "no")
    out.print(table)
    s = report["scores"]
    out.print(
        f"{s['n']} cases: P80 coverage {s['p80_coverage']} (announced date covers {s['naive_coverage']}); "
        f"P50 median error {s['p50_median_error_years']} y, announced date {s['naive_median_error_years']} y"
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


event_app = typer.Typer(help="Matchmaking events: schedule meetings optimally.", no_args_is_help=True)
app.add_typer(event_app, name="event")
TimeLimit = Annotated[float, typer.Option("--time-limit", min=0.1, max=3600, metavar="S", help="Solver time limit.")]
Workers = Annotated[int, typer.Option("--workers", min=1, max=64, help="Solver threads (the machine may be shared).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _print_schedule(result: Any, as_json: bool) -> None:
    warn_all(result.warnings)
    if as_json:
        print_json(result.as_dict())
        return
    table = Table(title=f"{len(result.meetings)} meetings")
    for column in ("slot", "table", "a", "b"):
        table.add_column(column)
    for m in result.meetings:
        table.add_row(m.slot, m.table, m.a, m.b)
    out.print(table)
    out.print(
        f"objective {result.objective}, proven bound {result.bound}, gap {result.gap:.2%}"
        f"{' (optimal)' if result.optimal else ''}; first-come greedy: {result.greedy_meetings} meetings,"
        f" objective {result.greedy_objective}; {result.seconds:.1f} s",
        highlight=False,
    )


@event_app.command("schedule")
def event_schedule(
    path: Annotated[Path, typer.Argument(metavar="FILE.json|FILE.xlsx", help="Slots, tables, participants, requests.")],
    time_limit: TimeLimit = 30.0,
    workers: Workers = 2,
    as_json: AsJson = False,
) -> None:
    """Schedule accepted meeting requests to slots and tables (most priority-weighted meetings; bound and gap)."""
    from fusionatlas.events.problem_file import read_problem
    from fusionatlas.events.scheduler import ScheduleError, solve

    def schedule() -> Any:
        try:
            return solve(read_problem(path), time_limit=time_limit, workers=workers)
        except ScheduleError as error:
            raise BadInput(str(error)) from None

    _print_schedule(run(schedule), as_json)


@event_app.command("run")
def event_run(
    event_id: Annotated[int, typer.Argument(metavar="EVENT_ID", help="A stored event (its number on the web).")],
    time_limit: TimeLimit = 10.0,
    workers: Workers = 2,
    as_json: AsJson = False,
) -> None:
    """Schedule a stored event's accepted requests, keeping meetings already scheduled where they are."""
    from fusionatlas.events.core import EventError
    from fusionatlas.events.planning import schedule_event
    from fusionatlas.events.scheduler import ScheduleError
    from fusionatlas.store.migrate import upgrade

    db = engine()

    def schedule() -> Any:
        upgrade(db)
        try:
            return schedule_event(db, event_id, time_limit=time_limit, workers=workers)
        except (EventError, ScheduleError) as error:
            raise BadInput(str(error)) from None

    planned = run(schedule)
    err.print(f"{planned.added} meetings added, {planned.kept} kept where they were", highlight=False)
    _print_schedule(planned.schedule, as_json)


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


@app.command()
def skills(
    country: Annotated[
        str | None, typer.Option("--country", metavar="CC", help="Country (ISO code); all countries if omitted.")
    ] = None,
    public_only: Annotated[bool, typer.Option("--public-only", help="Use public records only.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Skills in demand (needs) against the training offers that teach them, the largest gap first."""
    from datetime import date

    from fusionatlas.analysis.skills import skill_view
    from fusionatlas.domain.values import parse_country
    from fusionatlas.store.migrate import upgrade

    try:
        code = parse_country(country) if country else None
    except ValueError as error:
        err.print(f"error: --country: {error}", highlight=False)
        raise typer.Exit(2) from None
    db = engine()

    def view() -> Any:
        upgrade(db)
        with db.connect() as connection:
            return skill_view(connection, Audience.operator(public_only), code, date.today())

    found = run(view)
    if as_json:
        print_json(found.as_json())
        return
    ids = [row.skill["id"] for row in found.rows]
    table = result_table(
        f"skills: {code or 'all countries'}", ["gap", "id", "name", "demand", "holders", "training"], ids
    )
    for row in found.rows:
        name = f"{row.skill['name_ja']} / {row.skill['name_en']}"
        table.add_row(
            f"{row.gap:.2f}", row.skill["id"], name, str(row.demand), str(len(row.holder_ids)), str(row.training_count)
        )
    out.print(table)


scenarios_app = typer.Typer(help="Supply-chain scenarios: plant demand against makers' capacity.", no_args_is_help=True)
app.add_typer(scenarios_app, name="scenarios")
# `fusionatlas scenario validate` (the spelling) runs the same commands as `fusionatlas scenarios validate`
app.add_typer(scenarios_app, name="scenario", hidden=True)


@scenarios_app.command("list")
def scenarios_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List the bundled deployment scenarios and their sources."""
    from fusionatlas.scenarios.inputs import ScenarioError
    from fusionatlas.scenarios.results import summary

    try:
        found = summary()
    except ScenarioError as error:
        err.print(f"error: {error}", highlight=False, markup=False)
        raise typer.Exit(2) from None
    if as_json:
        print_json({"scenarios": [{k: s[k] for k in ("id", "name_en", "name_ja", "sources")} for s in found]})
        return
    table = result_table("scenarios", ["id", "name", "plants", "sources"], [s["id"] for s in found])
    for s in found:
        table.add_row(s["id"], f"{s['name_en']} / {s['name_ja']}", str(s["plants"]), ", ".join(s["sources"]))
    out.print(table)


@scenarios_app.command("run")
def scenarios_run(
    name: Annotated[str | None, typer.Argument(help="A bundled scenario id (see `scenarios list`).")] = None,
    yaml_file: Annotated[
        Path | None, typer.Option("--yaml", metavar="FILE", help="Run your own scenario file instead.")
    ] = None,
    saved_id: Annotated[
        int | None,
        typer.Option("--saved", metavar="ID", min=1, help="Run a member's saved scenario (its /scenarios/saved/ID)."),
    ] = None,
    country: Annotated[str, typer.Option("--country", help="Focus country (ISO code).")] = "JP",
    partners: Annotated[str, typer.Option("--partners", metavar="CC,CC", help="Partner countries.")] = "",
    draws: Annotated[int, typer.Option("--draws", min=1, max=20000, help="Monte Carlo draws.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same bands).")] = 0,
    public_only: Annotated[bool, typer.Option("--public-only", help="Use public records only.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Demand per item per year against capacity (P10/P50/P90), the first shortfall year and domestic share."""
    from fusionatlas.scenarios.inputs import ScenarioError, bundled, parse_scenario
    from fusionatlas.scenarios.results import run as run_scenario
    from fusionatlas.store.migrate import upgrade

    if sum(x is not None for x in (name, yaml_file, saved_id)) != 1:
        err.print("error: give a scenario id, --yaml FILE or --saved ID (one of the three)")
        raise typer.Exit(2)
    try:
        library = bundled()
        scenario = None
        if yaml_file is not None:
            scenario = parse_scenario(yaml_file, library.designs, library.items)
        elif name is not None:
            scenario = library.scenario(name)
    except ScenarioError as error:
        err.print(f"error: {error}", highlight=False, markup=False)
        raise typer.Exit(2) from None
    db = engine()
    audience = Audience.operator(public_only)

    def compute() -> dict[str, Any]:
        # `run` turns only BadInput into exit 2: a scenario's own errors (a saved one's YAML, a country) are one.
        try:
            return compute_scenario()
        except ScenarioError as error:
            raise BadInput(str(error)) from None

    def compute_scenario() -> dict[str, Any]:
        from fusionatlas.store import saved_scenarios

        upgrade(db)
        with db.connect() as connection:
            chosen = scenario
            if chosen is None:
                # The operator sees every saved scenario; with --public-only, the public ones alone.
                found = saved_scenarios.get(connection, saved_id or 0, audience)
                if found is None:
                    raise BadInput(f"no saved scenario {saved_id}")
                chosen = saved_scenarios.parse(found.yaml, library)
            return run_scenario(
                connection,
                audience,
                chosen,
                library,
                country,
                [p for p in partners.split(",") if p.strip()],
                draws,
                seed,
            )

    result = run(compute)
    if as_json:
        print_json(result)
        return
    rows = result["items"]
    table = result_table(
        f"scenario {result['scenario']} ({result['country']})",
        ["id", "unit", "peak demand P50", "capacity then", "first shortfall", "domestic share"],
        [r["id"] for r in rows],
    )
    for r in rows:
        peak = max(range(len(result["years"])), key=lambda i: r["demand_p50"][i])
        share = "-" if r["domestic_share"] is None else f"{r['domestic_share']:.0%}"
        table.add_row(
            r["id"],
            r["unit"],
            f"{r['demand_p50'][peak]:,.4g} ({result['years'][peak]})",
            f"{r['capacity'][peak]:,.4g}",
            str(r["first_shortfall_year"] or "none"),
            share,
        )
    out.print(table)


@scenarios_app.command("validate")
def scenarios_validate(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """The tritium stock model against published projections: published value, ours, relative error."""
    from fusionatlas.scenarios.inputs import ScenarioError
    from fusionatlas.scenarios.validation import validate

    try:
        result = validate()
    except ScenarioError as error:
        err.print(f"error: {error}", highlight=False, markup=False)
        raise typer.Exit(2) from None
    if as_json:
        print_json(result)
        return
    rows = result["references"]
    table = result_table(
        "tritium validation", ["reference", "figure", "year", "published", "ours", "error"], [r["id"] for r in rows]
    )
    for r in rows:
        table.add_row(
            r["id"], r["figure"], str(r["year"]), f"{r['published']:g}", f"{r['ours']:g}", f"{r['relative_error']:+.1%}"
        )
    out.print(table)


@app.command()
def readiness(
    technology_id: Annotated[str | None, typer.Argument(help="A technology id; all technologies if left out.")] = None,
    public_only: Annotated[bool, typer.Option("--public-only", help="Use public records only.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Readiness assessments of a technology (or all), newest first, with the one the gap analysis uses."""
    from fusionatlas.analysis.readiness import as_json as readiness_json
    from fusionatlas.analysis.readiness import assessments
    from fusionatlas.store.migrate import upgrade

    db = engine()

    def read() -> list[dict[str, Any]]:
        upgrade(db)
        with db.connect() as connection:
            return assessments(connection, Audience.operator(public_only), technology_id)

    rows = run(read)
    if as_json:
        print_json(readiness_json(rows))
        return
    columns = ["id", "date", "technology", "TRL", "context", "assessor", "self-assessed", "sources"]
    table = result_table("readiness assessments, newest first", columns, [row["id"] for row in rows])
    for row in rows:
        table.add_row(
            row["id"],
            str(row["date"]),
            row["technology_id"],
            str(row["value"]),
            row["context"] or "",
            row["assessor"] or row["assessor_org_id"] or "",
            "yes" if row["self_assessed"] else "",
            ";".join(row["source_ids"] or []),
        )
    out.print(table if rows else "no readiness assessment recorded")


def main() -> None:
    app()


if __name__ == "__main__":  # `python -m fusionatlas.cli` runs the CLI too, instead of silently doing nothing
    main()
