"""``kg serve`` argument handling (the server itself is exercised in test_protections)."""

from __future__ import annotations

from pathlib import Path

from kg.cli import build_parser, main
from kg.serve.command import settings_from_args


def test_defaults_and_options() -> None:
    args = build_parser().parse_args(["serve", "--timeout", "3", "--workers", "4", "--base-uri", "https://example.org/kg", "a.ttl"])
    settings = settings_from_args(args, None)
    assert settings.timeout == 3 and settings.workers == 4
    assert settings.base_iri == "https://example.org/kg/"
    assert args.files == [Path("a.ttl")] and args.port == 8000 and args.host == "127.0.0.1"
    assert settings.access_log is False
    assert settings_from_args(build_parser().parse_args(["serve", "--access-log", "a.ttl"]), None).access_log is True


def test_access_log_setting_reaches_uvicorn(monkeypatch, small_store) -> None:
    import uvicorn

    import kg.serve
    from kg.serve.settings import ServeSettings

    seen = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.append(options["access_log"]))
    for wanted in (False, True):
        kg.serve.serve(ServeSettings(workers=1, access_log=wanted, queries_dir=Path(__file__).parent), small_store)
    assert seen == [False, True]


def test_kg_serve_runs_on_httptools_and_uvloop(monkeypatch, small_store) -> None:
    """The compiled HTTP parser and event loop (dependencies, docs/endpoint.md) are what uvicorn picks."""
    import uvicorn
    import uvloop
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    import kg.serve
    from kg.serve.settings import ServeSettings

    seen = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.append((app, options)))
    kg.serve.serve(ServeSettings(workers=1, queries_dir=Path(__file__).parent), small_store)
    (app, options), = seen
    config = uvicorn.Config(app, **options)
    config.load()
    assert config.http_protocol_class is HttpToolsProtocol
    factory = config.get_loop_factory()
    assert factory is not None
    loop = factory()
    try:
        assert isinstance(loop, uvloop.Loop)
    finally:
        loop.close()


def test_missing_build_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert main(["serve", "--data", str(tmp_path / "none")]) == 2
    assert "dataset.nq" in capsys.readouterr().err


def test_bad_timeout_is_a_usage_error(capsys) -> None:
    assert main(["serve", "--timeout", "0", "x.ttl"]) == 2


def _tiny_build(root: Path) -> Path:
    (root / "dataset.nq").write_text("<http://example.org/a> <http://example.org/p> \"1\" <https://budget-kg.org/graph/doc/x> .\n", encoding="utf-8")
    (root / "analysis.trig").write_text("<https://budget-kg.org/graph/links> { <http://example.org/a> <http://example.org/q> \"2\" . }\n", encoding="utf-8")
    return root


def test_kg_serve_loads_the_build_and_serves_it(tmp_path: Path, monkeypatch) -> None:
    calls = []
    monkeypatch.setattr("kg.serve.command.serve", lambda settings, store, host, port: calls.append((settings, len(store), host, port)))
    assert main(["serve", "--data", str(_tiny_build(tmp_path)), "--port", "8123", "--timeout", "4"]) == 0
    (settings, quads, host, port), = calls
    assert (quads, host, port) == (2, "127.0.0.1", 8123)
    assert settings.data_dir == tmp_path and settings.timeout == 4


def test_kg_serve_files(tmp_path: Path, monkeypatch) -> None:
    calls = []
    monkeypatch.setattr("kg.serve.command.serve", lambda settings, store, host, port: calls.append((settings, len(store))))
    ttl = tmp_path / "x.ttl"
    ttl.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n", encoding="utf-8")
    assert main(["serve", str(ttl)]) == 0
    assert calls[0][0].data_dir is None and calls[0][1] == 1


def test_serve_build_for_kg_run(tmp_path: Path, monkeypatch) -> None:
    import kg.serve

    calls = []
    monkeypatch.setattr(kg.serve, "serve", lambda settings, store, host, port: calls.append((settings, len(store), port)))
    kg.serve.serve_build(_tiny_build(tmp_path), port=9000, timeout=3)
    settings, quads, port = calls[0]
    assert quads == 2 and port == 9000 and settings.timeout == 3 and settings.data_dir == tmp_path
