"""``eduteach readability FILE`` and ``eduteach modify --input FILE ... -o OUT.docx``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from eduteach.commands.running import (
    InputProblemsError,
    check_writable,
    command_settings,
    read_sources,
    report,
    run_generation,
    validated_params,
    write_file,
)
from eduteach.exports.docx_base import DocumentMeta
from eduteach.readability import Reading, measure

_FLAGS = {
    "reading_level": "--reading-level",
    "differentiate": "--differentiate",
    "standards": "--standard",
    "key_terms": "--key-term",
    "students": "--students",
    "language": "--language",
    "operations": "options",
}


def _read_one(path: Path) -> tuple[str, str]:
    """The file's label and text, read like an upload; exit code 2 when it cannot be used."""
    sources = read_sources([path])
    for warning in sources.warnings:
        click.echo(f"Note: {warning}", err=True)
    if not sources.texts:
        raise InputProblemsError([f"{path}: no text found."])
    return sources.texts[0].label, sources.texts[0].text


def _measures(name: str, reading: Reading) -> None:
    click.echo(f"{name}: {reading.label()}")
    if reading.too_short:
        return
    spache = " (used: early grades)" if reading.uses_spache else ""
    click.echo(
        f"  Flesch-Kincaid {reading.flesch_kincaid:.1f}, Coleman-Liau {reading.coleman_liau:.1f}, "
        f"ARI {reading.automated_readability:.1f}, Spache {reading.spache:.1f}{spache}; "
        f"{reading.words} words, {reading.sentences} sentences"
    )


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def readability(file: Path) -> None:
    """Measure the approximate US grade level of a .docx, .pdf or .txt file."""
    label, text = _read_one(file)
    reading = measure(text)
    _measures(label, reading)
    if reading.longest_sentences:
        click.echo("Longest sentences:")
        for sentence in reading.longest_sentences:
            click.echo(f"  - {sentence}")
    if reading.hardest_words:
        click.echo(f"Hardest words: {', '.join(reading.hardest_words)}")


@click.command()
@click.option(
    "--input",
    "input_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The material: .docx, .pdf or .txt.",
)
@click.option("--reading-level", default=None, help="Target grade: K or 1 to 12.")
@click.option(
    "--differentiate", default="", help="Versions: support,on-level,advanced,english-learners."
)
@click.option("--simplify-vocabulary", is_flag=True, help="Simpler words, with a glossary.")
@click.option("--add-examples", is_flag=True, help="Add examples for your students.")
@click.option(
    "--standard",
    "standards",
    multiple=True,
    metavar="CODE",
    help="A standard to align to, its code first (repeat). Codes found in imported frameworks "
    "are checked; others are marked unverified.",
)
@click.option("--key-term", "key_terms", multiple=True, help="A term to keep (repeat).")
@click.option("--students", default="", help="About your students, without names.")
@click.option("--language", default="English", show_default=True)
@click.option("--comments", is_flag=True, help="Put what changed in Word comments.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def modify(
    input_file: Path,
    reading_level: str | None,
    differentiate: str,
    simplify_vocabulary: bool,
    add_examples: bool,
    standards: tuple[str, ...],
    key_terms: tuple[str, ...],
    students: str,
    language: str,
    comments: bool,
    output: Path,
) -> None:
    """Adapt material for your students and print each version's measured grade level."""
    from eduteach import modify as modifying
    from eduteach.commands.standards import verify_standards
    from eduteach.exports.docx_modify import render_modified_docx
    from eduteach.standards.marks import verified_codes

    values: dict[str, object] = {
        "reading_level": reading_level,
        "differentiate": differentiate,
        "simplify_vocabulary": simplify_vocabulary,
        "add_examples": add_examples,
        "standards": list(standards),
        "key_terms": list(key_terms),
        "students": students,
        "language": language,
    }
    params = validated_params(modifying.ModifyRequest, values, _FLAGS)
    check_writable(output)
    sources = read_sources([input_file])
    texts = [s.text for s in sources.texts]
    params = verify_standards(params)
    settings = command_settings()
    outcome = run_generation(modifying.spec(texts, params), params, sources, settings)
    meta = DocumentMeta(
        course_title="",
        subject="",
        grade="",
        duration="",
        language=language,
        generated=date.today(),
        model_label=outcome.endpoint.model,
        offline_draft=outcome.endpoint.offline_draft,
    )
    original = "\n\n".join(texts)
    write_file(
        output,
        render_modified_docx(
            outcome.data,
            meta,
            original=original,
            comments=comments,
            verified=verified_codes(params),
        ),
    )
    _measures("Original", measure(original))
    for version in outcome.data["versions"]:
        _measures(str(version["label"]), measure(str(version["text"])))
    report(outcome, "the modified material", [output])
