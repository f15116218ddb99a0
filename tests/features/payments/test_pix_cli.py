"""The operator's `pix` command: build a copia-e-cola (and its QR PNG), decode one."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from dresbach.cli.pix_commands import register
from dresbach.features.payments.pix import parse_brcode

OFFICIAL_STATIC = (
    "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000"
    "5204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D"
)
OFFICIAL_DYNAMIC = (
    "00020101021226730014br.gov.bcb.pix2551pix.example.com/v2/8b3da2f39a4140d1a91abd93113bd441"
    "5204000053039865406123.455802BR5913Fulano de Tal6008BRASILIA62190515RP12345678-2019"
    "63047309"
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="dresbach")
    register(root.add_subparsers())
    return root


def run(parser: argparse.ArgumentParser, *argv: str) -> int:
    args = parser.parse_args(list(argv))
    code: int = args.func(args)
    return code


def test_brcode_prints_the_official_static_example(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]
) -> None:
    key = "123e4567-e12b-12d1-a456-426655440000"
    code = run(
        parser, "pix", "brcode", "--key", key, "--name", "Fulano de Tal", "--city", "BRASILIA"
    )
    assert code == 0
    assert capsys.readouterr().out == OFFICIAL_STATIC + "\n"


def test_brcode_with_amount_txid_and_png(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    png = tmp_path / "pix.png"
    argv = ["pix", "brcode", "--key", "52998224725", "--name", "Dresbach Hosting"]
    argv += ["--city", "Porto Alegre", "--amount", "37,5", "--txid", "DIAG123", "--png", str(png)]
    assert run(parser, *argv) == 0
    captured = capsys.readouterr()
    payload = captured.out.strip()
    parsed = parse_brcode(payload)
    assert str(parsed.amount) == "37.50"
    assert parsed.txid == "DIAG123"
    assert png.read_bytes().startswith(PNG_SIGNATURE)
    assert str(png) in captured.err
    assert captured.out.count("\n") == 1  # stdout holds only the payload


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--amount", "1.234,56"], "Valor inválido"),
        (["--amount", "0"], "maior que zero"),
        (["--txid", "DIAG-123"], "txid"),
        (["--name", "Dresbach Hosting do Brasil Ltda"], "máximo é 25"),
    ],
)
def test_brcode_invalid_input_exits_1_with_a_message(
    parser: argparse.ArgumentParser,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    argv = ["pix", "brcode", "--key", "52998224725", "--name", "Dresbach", "--city", "Canoas"]
    assert run(parser, *argv, *extra) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


def test_brcode_unwritable_png_exits_1(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    png = tmp_path / "missing-dir" / "pix.png"
    argv = ["pix", "brcode", "--key", "52998224725", "--name", "D", "--city", "C"]
    argv += ["--png", str(png)]
    assert run(parser, *argv) == 1
    assert "PNG" in capsys.readouterr().err


def test_decode_prints_the_fields_in_portuguese(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(parser, "pix", "decode", OFFICIAL_DYNAMIC) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "Tipo: dinâmico",
        "URL da cobrança: pix.example.com/v2/8b3da2f39a4140d1a91abd93113bd441",
        "Recebedor: Fulano de Tal",
        "Cidade: BRASILIA",
        "Valor: R$ 123,45",
        "Identificador (txid): RP12345678-2019",
        "Uso único: sim",
        "CRC: 7309 (confere)",
    ]


def test_decode_static_open_amount(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(parser, "pix", "decode", OFFICIAL_STATIC) == 0
    out = capsys.readouterr().out
    assert "Chave Pix: 123e4567-e12b-12d1-a456-426655440000\n" in out
    assert "Valor: livre (o pagador digita)\n" in out
    assert "Tipo: estático\n" in out


def test_decode_bad_crc_exits_1(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(parser, "pix", "decode", OFFICIAL_STATIC[:-1] + "E") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "CRC inválido" in captured.err


def test_pix_needs_a_subcommand(parser: argparse.ArgumentParser) -> None:
    with pytest.raises(SystemExit):
        parser.parse_args(["pix"])


def test_decode_shows_large_amounts_in_brazilian_format(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["pix", "brcode", "--key", "52998224725", "--name", "D", "--city", "C"]
    assert run(parser, *argv, "--amount", "1234567.8") == 0
    payload = capsys.readouterr().out.strip()
    assert run(parser, "pix", "decode", payload) == 0
    assert "Valor: R$ 1.234.567,80\n" in capsys.readouterr().out
