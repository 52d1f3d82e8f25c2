"""Questionnaires and answers: validate, score, report, questionnaire show/import."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from assess.catalog import Catalog, QuestionnaireError, load_questionnaire
from assess.cli import main

if TYPE_CHECKING:
    from assess.services.answer_files import AnswerFile


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(files: tuple[str, ...]) -> None:
    """Check questionnaire FILES (YAML or XLSX); print every problem as FILE:LINE: message (FILE:SHEET!CELL: ...)."""
    from assess.catalog.sheet_import import is_spreadsheet, load_spreadsheet

    failed = False
    for file in files:
        try:
            questionnaire = load_spreadsheet(file) if is_spreadsheet(file) else load_questionnaire(file)
        except QuestionnaireError as error:
            failed = True
            for problem in error.problems:
                click.echo(str(problem))
            continue
        click.echo(
            f"{file}: ok ({questionnaire.id} {questionnaire.version}: {len(questionnaire.dimensions)} dimensions, "
            f"{questionnaire.question_count} questions, {len(questionnaire.measures)} measures, "
            f"{len(questionnaire.rules)} rules)",
            err=True,
        )
    sys.exit(1 if failed else 0)


def _read_answers(path: str, questionnaire_ref: str | None) -> AnswerFile:
    """The answers file, or every problem as an `error:` line and exit code 2."""
    from assess.services.answer_files import AnswerFileError, read_answer_file

    try:
        return read_answer_file(path, Catalog(), questionnaire_ref)
    except AnswerFileError as error:
        for problem in error.problems:
            click.echo(f"error: {problem}", err=True)
        sys.exit(2)


@main.command()
@click.argument("answers", type=click.Path(dir_okay=False))
@click.option("--questionnaire", "questionnaire_ref", help="Questionnaire id or YAML file (default: the one named in ANSWERS).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
@click.option("--lang", default=None, help="Language of the texts (default: the questionnaire's first).")
def score(answers: str, questionnaire_ref: str | None, fmt: str, lang: str | None) -> None:
    """Score ANSWERS (JSON) and print scores, flags and the roadmap."""
    from assess.domain.evaluation import evaluate
    from assess.reporting.serialize import evaluation_to_dict
    parsed = _read_answers(answers, questionnaire_ref)
    evaluation = evaluate(parsed.questionnaire, parsed.responses, targets=parsed.targets, consensus=parsed.consensus,
                          settings=parsed.settings)
    result = evaluation_to_dict(evaluation, lang)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        from assess.reporting.text import render_text

        click.echo(render_text(result), nl=False)


@main.command()
@click.argument("answers", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Where to write the report.")
@click.option("--questionnaire", "questionnaire_ref", help="Questionnaire id or YAML file (default: the one named in ANSWERS).")
@click.option("--lang", type=click.Choice(["de", "en"]), default=None,
              help="Report language (default: the questionnaire's first).")
@click.option("--title", default="", help="Title of the assessment on the cover (default: the questionnaire's title).")
@click.option("--full", is_flag=True, help="The full report: the board's short one plus the appendix (every question "
              "with its answers, the workshop agenda).")
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx"]), default="pdf", show_default=True,
              help="PDF for the board, or DOCX (Word) to edit before handing it over.")
def report(answers: str, output: str, questionnaire_ref: str | None, lang: str | None, title: str, full: bool,
           fmt: str) -> None:
    """Write the board report (PDF or DOCX) of ANSWERS, the same JSON `score` reads."""
    import signal

    # Ctrl+C stops at once, as SIGTERM does, and Chromium with it: a KeyboardInterrupt would wait at exit for
    # the chart thread, which waits for Chromium. Nothing is written before the PDF is complete.
    before = signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        _report(answers, output, questionnaire_ref, lang, title, full, fmt)
    finally:
        signal.signal(signal.SIGINT, before)


def _report(answers: str, output: str, questionnaire_ref: str | None, lang: str | None, title: str, full: bool,
            fmt: str) -> None:
    from pathlib import Path

    from assess.domain.evaluation import evaluate
    from assess.reporting.svg import ChromiumMissingError, start_server

    parsed = _read_answers(answers, questionnaire_ref)
    try:
        start_server()  # Chromium boots in the background while WeasyPrint loads and the sections print
    except ChromiumMissingError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    from assess.reporting.context import ReportMeta, build_report_context
    from assess.reporting.documents import FORMATS

    evaluation = evaluate(parsed.questionnaire, parsed.responses, targets=parsed.targets, consensus=parsed.consensus,
                          settings=parsed.settings)
    context = build_report_context(evaluation, parsed.responses, lang=parsed.questionnaire.language(lang),
                                   meta=ReportMeta(organisation=parsed.organisation, title=title))
    context["full"] = full
    try:
        Path(output).write_bytes(FORMATS[fmt].render(context))
    except OSError as error:
        click.echo(f"error: cannot write {output}: {error.strerror}", err=True)
        sys.exit(1)
    click.echo(f"{output}: board report for {parsed.organisation or 'unnamed organisation'}", err=True)


@main.group()
def questionnaire() -> None:
    """Inspect questionnaires."""


@contextmanager
def _questionnaire_problems() -> Iterator[None]:
    """A questionnaire that does not load: its problems, one per line (exit 1); one that does not exist: exit 2."""
    try:
        yield
    except QuestionnaireError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    except LookupError as error:
        click.echo(f"error: {error.args[0]}", err=True)
        sys.exit(2)


@questionnaire.command("show")
@click.argument("ref")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True)
@click.option("--lang", default=None, help="Language for the text format.")
def questionnaire_show(ref: str, fmt: str, lang: str | None) -> None:
    """Show questionnaire REF (an id or a YAML file) as loaded."""
    from assess.domain.export import questionnaire_to_dict, questionnaire_to_text
    from assess.services.answer_files import resolve_questionnaire

    with _questionnaire_problems():
        loaded = resolve_questionnaire(Catalog(), ref)
    if fmt == "json":
        click.echo(json.dumps(questionnaire_to_dict(loaded), ensure_ascii=False, indent=2))
    else:
        click.echo(questionnaire_to_text(loaded, loaded.language(lang)), nl=False)


@questionnaire.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--workspace", "workspace_id", type=int, default=None,
              help="The workspace (its id) that gets the questionnaire; needed when there are several.")
def questionnaire_import(file: str, workspace_id: int | None) -> None:
    """Validate FILE (YAML or XLSX) and store it as a workspace's own questionnaire (nothing is stored unless it is
    valid)."""
    from pathlib import Path

    from sqlmodel import Session, col, select

    from assess.catalog.sheet_import import is_spreadsheet
    from assess.cli.data import checked_engine
    from assess.db.models import Workspace
    from assess.services.questionnaire_sheets import import_workbook
    from assess.services.questionnaires import import_questionnaire

    content: str | bytes
    try:
        content = Path(file).read_bytes() if is_spreadsheet(file) else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:  # the same line `assess validate` prints
        click.echo(f"{file}:1: cannot read the file: {error}")
        sys.exit(1)
    engine = checked_engine()
    try:
        with Session(engine) as session:
            workspaces = list(session.exec(select(Workspace).order_by(col(Workspace.id))))
            chosen = [w for w in workspaces if workspace_id is None or w.id == workspace_id]
            if len(chosen) != 1:
                known = ", ".join(f"{w.id} ({w.name})" for w in workspaces) or "none; create one with assess user create"
                click.echo(f"error: name the workspace with --workspace ID; workspaces: {known}", err=True)
                sys.exit(2)
            workspace_name = chosen[0].name
            try:
                if isinstance(content, bytes):
                    loaded = import_workbook(session, Catalog(), chosen[0].id or 0, content, file, None)
                else:
                    loaded = import_questionnaire(session, Catalog(), chosen[0].id or 0, content, file, None)
            except QuestionnaireError as error:
                for problem in error.problems:
                    click.echo(str(problem))
                sys.exit(1)
            session.commit()
    finally:
        engine.dispose()  # also on exit: a pooled connection must not outlive the command
    click.echo(f"imported {loaded.id} {loaded.version} into workspace '{workspace_name}'", err=True)


@questionnaire.command("export")
@click.argument("ref")
@click.option("--version", default=None, help="The version (default: the newest).")
@click.option("--format", "fmt", type=click.Choice(["xlsx"]), default="xlsx", show_default=True,
              help="XLSX: a sheet per part, both languages side by side; edit it and import or validate it again.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Where to write the file.")
def questionnaire_export(ref: str, version: str | None, fmt: str, output: str) -> None:
    """Write questionnaire REF (a shipped id or a YAML file) as a spreadsheet."""
    from pathlib import Path

    from assess.catalog.sheet_export import write_workbook
    from assess.services.questionnaire_sheets import file_data

    path = Path(ref)
    with _questionnaire_problems():
        if path.suffix in (".yaml", ".yml") or path.is_file():
            found = load_questionnaire(path)
            if version is not None and found.version != version:
                click.echo(f"error: {ref} holds version {found.version}, not {version}", err=True)
                sys.exit(2)
        else:
            found = Catalog().get(ref, version)
        content = write_workbook(file_data(Path(found.source).read_text(encoding="utf-8"), found.source))
    try:
        Path(output).write_bytes(content)
    except OSError as error:
        click.echo(f"error: cannot write {output}: {error.strerror}", err=True)
        sys.exit(1)
    click.echo(f"{output}: {found.id} {found.version} as {fmt.upper()}", err=True)
