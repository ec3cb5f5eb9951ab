"""The staff command line: exit codes and what it prints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.knowledge.__main__ import main
from bot.knowledge.training import DEFAULT_PATH

FIXTURES = Path(__file__).parent / "fixtures" / "faq"
FIXTURE = ["--dir", str(FIXTURES), "--training", str(DEFAULT_PATH / "residents.yaml")]  # see test_base.py


def test_check_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--dir", str(FIXTURES), "check"]) == 0
    assert "6 entries, 0 errors" in capsys.readouterr().out


def test_check_fails_on_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.yaml").write_text("- id: a\n  question: q\n", encoding="utf-8")
    assert main(["--dir", str(tmp_path), "check"]) == 1
    assert "ERROR   a.yaml:1: a: missing field 'answer'" in capsys.readouterr().out


def test_try_shows_candidates_and_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*FIXTURE, "try", "低保咋个申请"]) == 0
    out = capsys.readouterr().out
    assert "normalised: '低保怎么申请'" in out
    assert "outcome:    answer" in out
    assert "1. " in out and "dibao-apply" in out
    assert "依据：任务清单第18、1条" in out


def test_eval_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    devset = tmp_path / "dev.yaml"
    devset.write_text(
        "- {q: 低保咋个申请, refs: [18]}\n- {q: 今天天气, out_of_scope: true}\n", encoding="utf-8"
    )
    assert main([*FIXTURE, "eval", "--devset", str(devset)]) == 0
    out = capsys.readouterr().out
    assert "right answer 1.000" in out and "answered 0.000" in out and ": pass" in out
    devset.write_text("- {q: 低保咋个申请, refs: [5]}\n", encoding="utf-8")
    assert main([*FIXTURE, "eval", "--devset", str(devset), "-v"]) == 1
    assert "WRONG" in capsys.readouterr().out


def test_try_explains_the_decision(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["try", "养老金资格认证咋个弄"]) == 0
    out = capsys.readouterr().out
    assert "out of scope: pension" in out and "P(out of scope)" in out and "needs read:" in out


def test_thresholds_prints_the_fitted_values(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["thresholds"]) == 0
    out = capsys.readouterr().out
    assert "thresholds (probability): answer" in out and "cross-validated (5 folds) training" in out


def test_calibrate_dry_run_on_a_tiny_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "training.yaml"
    rows = [
        '- {text: "低保咋个申请", needs: [dibao-apply], form: plain}',
        '- {text: "城里低保一个月多少钱", needs: [standards], form: plain}',
        '- {text: "林时就助是什么", needs: [linshi], form: typo}',
        '- {text: "五保户是啥子", needs: [tekun], form: dialect}',
        '- {text: "看病钱不够", needs: [medical], form: plain}',
        '- {text: "今天天气", referral: none, form: plain}',
    ]
    corpus.write_text("\n".join(rows * 2) + "\n", encoding="utf-8")
    assert main(["--dir", str(FIXTURES), "--training", str(corpus), "calibrate", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "cross-validated (5 folds) training: right" in out and "training-corpus weight" in out


def test_calibrate_refuses_without_a_corpus(tmp_path: Path) -> None:
    assert (
        main(["--dir", str(FIXTURES), "--training", str(tmp_path / "none.yaml"), "calibrate", "--dry-run"])
        == 2
    )


async def test_misses_lists_from_redis(
    redis_url: str, redis_client: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    from bot.crypto import Sealer
    from bot.knowledge import misses
    from bot.settings import get_settings

    settings = get_settings()
    sealer = Sealer.from_settings(settings.data_keys, settings.data_key_id, settings.secret_key)
    for _ in range(4):
        await misses.record_miss(redis_client, sealer, "低保卡丢了", "fallback")
    monkeypatch.setenv("REDIS_URL", redis_url)
    get_settings.cache_clear()
    try:
        assert await asyncio.to_thread(main, ["misses"]) == 0
        out = capsys.readouterr().out
        assert "    4  fallback" in out and "低保卡丢了" in out
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize("url", [None, "redis://127.0.0.1:1/0"])
def test_misses_without_a_reachable_redis_says_so(url: str | None, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Through Settings and `server_redis`: no REDIS_URL, or a refused one, is a message, not a trace."""
    from bot.settings import get_settings

    if url is None:
        monkeypatch.delenv("REDIS_URL", raising=False)
    else:
        monkeypatch.setenv("REDIS_URL", url)
    get_settings.cache_clear()
    try:
        assert main(["misses"]) == 2
    finally:
        get_settings.cache_clear()
    assert ("REDIS_URL" if url is None else "ConnectionError") in capsys.readouterr().err
