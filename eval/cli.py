"""`clinqa eval ...`: the typer sub-app mounted by app/cli.py. Heavy imports happen inside commands."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

eval_app = typer.Typer(help="batch evaluation: consultations, k calibration, selector comparison, MMXU, MAG",
                       no_args_is_help=True)


def _settings(index_dir: Path | None):  # type: ignore[no-untyped-def]
    from app.config import get_settings

    base = get_settings()
    return base.model_copy(update={"index_dir": index_dir}) if index_dir is not None else base


def _fail(exc: Exception) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(2)


@eval_app.command("consult")
def consult(
    data: Annotated[Path, typer.Option(help="consultation benchmark (JSONL, docs/architecture.md format)")],
    mode: Annotated[str, typer.Option(help="drr | rtr | both")] = "both",
    k: Annotated[str, typer.Option("--k", help="cut-offs for hit@k, comma-separated")] = "1,3,5,10",
    out: Annotated[Path | None, typer.Option(help="output folder (default out/eval/consult-<data name>)")] = None,
    limit: Annotated[int | None, typer.Option(help="only the first N items")] = None,
    index_dir: Annotated[Path | None, typer.Option(help="where index versions live (default: settings)")] = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="discard earlier results in --out, do not resume")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bar")] = False,
    select: Annotated[str | None, typer.Option(
        "--select", help="instead: compare context selectors on held-out items, e.g. fixed:5,calibrated,gap "
        "(eval/selection.py; writes selection.md + risk_vs_k.png)")] = None,
    calibration: Annotated[Path | None, typer.Option(
        help="calibration.json for --select calibrated (default: CLINQA_SELECT__CALIBRATION)")] = None,
) -> None:
    """Run a consultation benchmark through the serving pipeline; resumable; writes report.md + plots."""
    if select is not None:
        _compare_selectors(data, select, mode, out, limit, index_dir, calibration, quiet)
        return
    from eval.consult import ConsultConfig, parse_ks, parse_modes, run_consult
    from eval.datasets.consult import DatasetError
    from eval.results import EvalError
    from eval.runtime import load_orchestrator

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        config = ConsultConfig(
            data=data,
            out=out or Path("out/eval") / f"consult-{data.stem}",
            modes=parse_modes(mode),
            ks=parse_ks(k),
            limit=limit,
            fresh=fresh,
            progress=not quiet,
        )
        run = run_consult(load_orchestrator(_settings(index_dir)), config)
    except (EvalError, DatasetError, ValueError) as exc:
        raise _fail(exc) from exc
    typer.echo(f"{run.new} evaluated, {run.skipped} resumed from earlier results")
    typer.echo((run.out / "report.md").read_text(encoding="utf-8"))
    typer.echo("wrote " + ", ".join(str(f) for f in run.files))


def _compare_selectors(data: Path, select: str, mode: str, out: Path | None, limit: int | None,
                       index_dir: Path | None, calibration: Path | None, quiet: bool) -> None:
    from eval.consult import parse_modes
    from eval.datasets.consult import DatasetError
    from eval.results import EvalError
    from eval.runtime import load_orchestrator
    from eval.selection import CompareConfig, run_select_comparison

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = _settings(index_dir)
        config = CompareConfig(data=data, out=out or Path("out/eval") / f"select-{data.stem}", selects=select,
                               modes=parse_modes(mode), calibration=calibration, limit=limit, progress=not quiet)
        run = run_select_comparison(load_orchestrator(settings), settings, config)
    except (EvalError, DatasetError, ValueError) as exc:
        raise _fail(exc) from exc
    typer.echo((run.out / "selection.md").read_text(encoding="utf-8"))
    typer.echo("wrote " + ", ".join(str(f) for f in run.files))


@eval_app.command("answers")
def answers(
    data: Annotated[Path, typer.Option(help="answer items (JSONL, eval/answers.py format)")],
    mode: Annotated[str, typer.Option(help="drr | rtr")] = "drr",
    out: Annotated[Path | None, typer.Option(help="output folder (default out/eval/answers-<data name>)")] = None,
    corpus: Annotated[Path | None, typer.Option(
        help="medicine database the items are validated against (default: settings corpus)")] = None,
    limit: Annotated[int | None, typer.Option(help="only the first N items")] = None,
    index_dir: Annotated[Path | None, typer.Option(help="where index versions live (default: settings)")] = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="discard earlier results in --out, do not resume")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bar")] = False,
    validate_only: Annotated[bool, typer.Option(
        "--validate-only", help="only check the items against the database (patterns, quotes, sections)")] = False,
    compare: Annotated[Path | None, typer.Option(
        help="an earlier output folder of the same items: also write compare.md (before/after)")] = None,
) -> None:
    """Answer-level evaluation: key facts stated, wrong medicine, answer length, per question type."""
    from app.enums import Mode
    from eval.answers import AnswersConfig, load_corpus, run_answers, validate_files
    from eval.results import EvalError

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = _settings(index_dir)
    corpus_path = corpus or settings.corpus
    try:
        if validate_only:
            items = validate_files([data], load_corpus(corpus_path))
            typer.echo(f"{data}: {len(items)} items, {sum(len(i.facts) for i in items)} key facts, all valid "
                       f"against {corpus_path}")
            return
        from eval.runtime import load_orchestrator

        config = AnswersConfig(data=data, out=out or Path("out/eval") / f"answers-{data.stem}", corpus=corpus_path,
                               mode=Mode.from_str(mode), limit=limit, fresh=fresh, progress=not quiet,
                               compare=compare)
        run = run_answers(load_orchestrator(settings), config)
    except (EvalError, ValueError) as exc:
        raise _fail(exc) from exc
    typer.echo(f"{run.new} evaluated, {run.skipped} resumed from earlier results")
    typer.echo((run.out / "report.md").read_text(encoding="utf-8"))
    typer.echo("wrote " + ", ".join(str(f) for f in run.files))


@eval_app.command("mmxu")
def mmxu(
    questions: Annotated[Path, typer.Option(help="MMXU questions (MMXU-test.jsonl)")],
    images: Annotated[Path, typer.Option(help="MIMIC-CXR-JPG root (the folder holding files/)")],
    reports: Annotated[Path | None, typer.Option(help="MIMIC-CXR reports root (the folder holding files/)")] = None,
    mag: Annotated[str, typer.Option(help="none | global | regional | all (comma-separated for several)")] = "none",
    limit: Annotated[int | None, typer.Option(help="only the first N questions")] = None,
    out: Annotated[Path | None, typer.Option(help="output folder (default out/eval/mmxu)")] = None,
    index_dir: Annotated[Path | None, typer.Option(help="where index versions live (default: settings)")] = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="discard earlier results in --out, do not resume")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bar")] = False,
) -> None:
    """Ask a vision-language model MMXU questions (current + prior image) through the serving pipeline."""
    from eval.mmxu import MmxuConfig, parse_mags, run_mmxu
    from eval.results import EvalError

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        config = MmxuConfig(
            questions=questions,
            images=images,
            reports=reports,
            mags=parse_mags(mag),
            limit=limit,
            out=out or Path("out/eval/mmxu"),
            fresh=fresh,
            progress=not quiet,
        )
        run = run_mmxu(_settings(index_dir), config)
    except (EvalError, ValueError) as exc:
        raise _fail(exc) from exc
    typer.echo(f"{run.new} evaluated, {run.skipped} resumed from earlier results")
    typer.echo((run.out / "report.md").read_text(encoding="utf-8"))
    typer.echo("wrote " + ", ".join(str(f) for f in run.files))


@eval_app.command("calibrate")
def calibrate(
    data: Annotated[Path, typer.Option(help="consultation benchmark (JSONL); its calibration part is used")],
    alpha: Annotated[float, typer.Option(help="target risk: the share of wrong answers to stay under")] = 0.1,
    delta: Annotated[float, typer.Option(help="allowed probability that the guarantee fails")] = 0.1,
    k_max: Annotated[int, typer.Option("--k-max", help="candidate ks are 1..K")] = 20,
    out: Annotated[Path, typer.Option(help="calibration file to write")] = Path("calibration.json"),
    fwer: Annotated[str, typer.Option(help="fixed_sequence | bonferroni | bonferroni_holm")] = "fixed_sequence",
    order: Annotated[str, typer.Option(
        help="fixed-sequence order: descending (k_max first) | ascending | split (order learned on half of the "
        "calibration items by their risk, tested on the other half)")] = "descending",
    judge: Annotated[str, typer.Option(help="auto | citation | llm | choice (eval/judges.py)")] = "auto",
    mode: Annotated[str, typer.Option(help="drr | rtr")] = "drr",
    fraction: Annotated[float, typer.Option(help="share of the file used for calibration (rest: held out)")] = 0.5,
    seed: Annotated[int, typer.Option(help="seed of the calibration/held-out split")] = 0,
    limit: Annotated[int | None, typer.Option(help="only the first N calibration items")] = None,
    index_dir: Annotated[Path | None, typer.Option(help="where index versions live")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bar")] = False,
) -> None:
    """Choose k (contexts read) so that risk <= alpha with probability >= 1 - delta (Learn-then-Test)."""
    from app.enums import Mode
    from eval.calibrate import CalibrateConfig, run_calibration
    from eval.datasets.consult import DatasetError
    from eval.judges import build_judge
    from eval.results import EvalError
    from eval.runtime import load_orchestrator

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = _settings(index_dir)
    # Calibrate the pipeline as configured, but reading at every k: the selector setting plays no part.
    settings = settings.model_copy(update={"select": settings.select.model_copy(update={"mode": "fixed"})})
    try:
        from app.factory import build_chat_model

        model = build_chat_model(settings) if judge in ("auto", "llm") else None
        config = CalibrateConfig(data=data, out=out, alpha=alpha, delta=delta, k_max=k_max, fwer=fwer, order=order,
                                 mode=Mode.from_str(mode), fraction=fraction, seed=seed, limit=limit,
                                 progress=not quiet)
        config.validate()
        run = run_calibration(load_orchestrator(settings), settings, config, build_judge(judge, model))
    except (EvalError, DatasetError, ValueError) as exc:
        raise _fail(exc) from exc
    for line in run.payload["summary"]:
        typer.echo(line)
    typer.echo("wrote " + ", ".join(str(f) for f in run.files))


@eval_app.command("synthea-mag")
def synthea_mag(
    data: Annotated[Path, typer.Option(help="Synthea consultation set (eval/data/synthea_consult.jsonl)")],
    synthea: Annotated[Path, typer.Option(help="Synthea CSV export the set's patients come from")],
    index_dir: Annotated[Path, typer.Option(help="where index versions live")] = Path("data/index"),
    dense_records: Annotated[bool, typer.Option("--dense-records", help="hybrid record search")] = False,
    out: Annotated[Path | None, typer.Option(help="write per-question outcomes and the summary as JSON")] = None,
) -> None:
    """MedRecord-augmented generation on Synthea patients: what each MAG level adds to the answers."""
    from eval.synthea_mag import write_run

    typer.echo(write_run(data, synthea, index_dir, dense_records, out))
