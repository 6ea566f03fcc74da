"""``reportkit utskick``: one .eml draft per unit with its styrkort attached, reminders after
consolidate, and sending over SMTP with STARTTLS — to a local aiosmtpd server the test starts,
never a real one."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reportkit import on_date, send_drafts, submission_overview, write_drafts
from reportkit.cli import main
from reportkit.errors import ReportkitError

REPO = Path(__file__).resolve().parents[2]
EXEMPEL = REPO / "fixtures" / "exempelkommun" / "styrmodell" / "2026.yaml"
FYRKANTA = REPO / "fixtures" / "fyrkanta" / "styrmodell" / "2026.yaml"
PERIOD = "2026-delår"


def _project(tmp_path: Path, books: dict[str, Path] | None = None, source: Path = EXEMPEL,
             extra: str = "") -> Path:
    root = tmp_path / "kommun"
    (root / "styrmodell").mkdir(parents=True)
    (root / "styrmodell" / "2026.yaml").write_text(
        source.read_text(encoding="utf-8") + extra, encoding="utf-8")
    outbox = root / "utskick" / PERIOD
    outbox.mkdir(parents=True)
    for unit_id, path in (books or {}).items():
        shutil.copy(path, outbox / f"{unit_id}.xlsx")
    return root


def _read(path: Path) -> EmailMessage:
    msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(msg, EmailMessage)
    return msg


def _body(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def test_one_draft_per_unit_with_its_workbook_deadline_and_coordinator(
        tmp_path: Path, exempel: Any, delar_workbooks: dict[str, Path]) -> None:
    model, period = exempel
    root = _project(tmp_path, delar_workbooks)
    mailing = write_drafts(root, PERIOD)
    assert sorted(p.stem for p in mailing.paths) == sorted(delar_workbooks)
    assert mailing.folder == root / "utskick" / PERIOD / "e-post"
    assert mailing.problems == []
    unit = next(u for u in model.reporting_units(period) if u.level == "enhet" and u.email)
    msg = _read(mailing.folder / f"{unit.id}.eml")
    assert msg["X-Unsent"] == "1"
    assert msg["To"].addresses[0].addr_spec == unit.email
    assert msg["To"].addresses[0].display_name == unit.manager
    assert unit.name in msg["Subject"] and "2026-09-08" in msg["Subject"]
    assert msg["From"].addresses[0].display_name  # the nämnd's samordnare
    body = _body(msg)
    assert "2026-09-08" in body and period.name in body
    assert msg["From"].addresses[0].display_name in body
    assert msg["From"].addresses[0].addr_spec in body
    attachments = list(msg.iter_attachments())
    assert [a.get_filename() for a in attachments] == [f"{unit.id}.xlsx"]
    assert attachments[0].get_content() == delar_workbooks[unit.id].read_bytes()


def test_same_input_same_bytes_and_the_date_is_the_days(
        tmp_path: Path, delar_workbooks: dict[str, Path]) -> None:
    one = dict(list(delar_workbooks.items())[:3])
    root = _project(tmp_path, one)
    first = {p.name: p.read_bytes() for p in write_drafts(root, PERIOD).paths}
    again = {p.name: p.read_bytes() for p in write_drafts(root, PERIOD).paths}
    assert first == again
    with on_date("2026-08-20"):
        later = write_drafts(root, PERIOD)
    msg = _read(later.paths[0])
    assert msg["Date"].datetime.date().isoformat() == "2026-08-20"
    assert later.paths[0].read_bytes() != first[later.paths[0].name]


def test_a_unit_without_workbook_or_address_gets_a_draft_and_a_varning(tmp_path: Path) -> None:
    root = _project(tmp_path)
    mailing = write_drafts(root, PERIOD, units=["kommun"])
    assert len(mailing.paths) == 1
    assert {p.code for p in mailing.problems} <= {"mail-no-workbook", "mail-no-address"}
    assert "mail-no-workbook" in {p.code for p in mailing.problems}
    assert not list(_read(mailing.paths[0]).iter_attachments())


def test_fyrkanta_drafts_use_its_own_words(tmp_path: Path) -> None:
    from reportkit import generate_workbooks

    root = _project(tmp_path, source=FYRKANTA)
    generate_workbooks(root, PERIOD, units=["SN"])
    msg = _read(write_drafts(root, PERIOD, units=["SN"]).paths[0])
    text = msg["Subject"] + _body(msg)
    assert "Samhällsnämnden" in text and "Delårsrapport januari–augusti 2026" in text
    assert "Siv Åström" in text  # the nämnd's own samordnare, not the kommun's
    assert [a.get_filename() for a in msg.iter_attachments()] == ["SN.xlsx"]


def test_reminders_after_consolidate_go_to_those_missing_or_with_fel(
        tmp_path: Path, delar_workbooks: dict[str, Path], fill: Any) -> None:
    from reportkit import consolidate_period

    root = _project(tmp_path, delar_workbooks)
    fine, wrong = sorted(delar_workbooks)[0], "ekonomienheten"
    inbox = root / "inkommet" / PERIOD
    inbox.mkdir(parents=True)
    shutil.copy(delar_workbooks[fine], inbox / f"{fine}.xlsx")
    shutil.copy(fill(delar_workbooks[wrong], {"Indikatorer!H4": "abc"}),
                inbox / "ekonomi-ifylld.xlsx")
    consolidate_period(root, PERIOD)
    never_sent = sorted(delar_workbooks)[-1]
    (root / "utskick" / PERIOD / f"{never_sent}.xlsx").unlink()
    statuses, _ = submission_overview(root, PERIOD)
    mailing = write_drafts(root, PERIOD, reminder=True)
    assert mailing.folder.name == "påminnelser"
    due = {s.unit_id for s in statuses if s.state != "inkommen"} - {never_sent}
    assert never_sent not in {p.stem for p in mailing.paths}  # sent nothing, reminded of nothing
    assert {p.stem for p in mailing.paths} == due and fine not in due and wrong in due
    missing = next(s for s in statuses if s.state in ("saknas", "försenad"))  # past its day
    msg = _read(mailing.folder / f"{missing.unit_id}.eml")
    assert msg["Subject"].startswith("Påminnelse")
    assert "inte fått" in _body(msg) and "var" in _body(msg)  # REPORTKIT_DATUM is past it
    assert [a.get_filename() for a in msg.iter_attachments()] == [f"{missing.unit_id}.xlsx"]
    corrected = _read(mailing.folder / f"{wrong}.eml")  # fixed in the unit's own file
    assert "1 fel som måste rättas" in _body(corrected)
    assert "ekonomi-ifylld.xlsx" in _body(corrected)
    assert not list(corrected.iter_attachments())


def test_the_cli_writes_drafts_and_sends_nothing_without_skicka(
        tmp_path: Path, delar_workbooks: dict[str, Path]) -> None:
    root = _project(tmp_path, dict(list(delar_workbooks.items())[:2]))
    result = CliRunner().invoke(main, ["utskick", str(root), "-p", PERIOD, "--enhet",
                                       next(iter(delar_workbooks))])
    assert result.exit_code == 0, result.output
    assert "Inget skickades" in result.output and "--skicka" in result.output
    assert len(list((root / "utskick" / PERIOD / "e-post").glob("*.eml"))) == 1


def test_skicka_without_a_server_is_a_swedish_error(
        tmp_path: Path, delar_workbooks: dict[str, Path]) -> None:
    root = _project(tmp_path, dict(list(delar_workbooks.items())[:1]))
    with pytest.raises(ReportkitError) as caught:
        send_drafts(root, write_drafts(root, PERIOD, units=[next(iter(delar_workbooks))]),
                    None)
    assert caught.value.problems[0].code == "smtp-not-configured"


def _certificate(folder: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl behövs för testcertifikatet")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class _Server:
    """The local SMTP server a test sends to: its port, the CA file the client trusts, and
    what it received."""

    port: int
    cert: Path
    received: list[Any] = field(default_factory=list)
    logins: list[tuple[bytes, bytes]] = field(default_factory=list)

    def smtp_key(self) -> str:
        return f"\nsmtp: {{server: 127.0.0.1, port: {self.port}, användare: samordnare}}\n"


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[_Server]:
    """aiosmtpd on 127.0.0.1 that requires STARTTLS (a self-signed certificate) and AUTH."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = _Server(_free_port(), cert)

    class Handler:
        async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
            server.received.append(envelope)
            return "250 OK"

    def authenticator(smtp: Any, session: Any, envelope: Any, mechanism: str,
                      data: Any) -> AuthResult:
        server.logins.append((data.login, data.password))
        return AuthResult(success=True)

    controller = Controller(Handler(), hostname="127.0.0.1", port=server.port,
                            tls_context=context, require_starttls=True,
                            authenticator=authenticator, auth_require_tls=True)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


def test_skicka_sends_through_a_local_starttls_server(
        tmp_path: Path, delar_workbooks: dict[str, Path], smtp_server: _Server) -> None:
    units = sorted(delar_workbooks)[:2]
    root = _project(tmp_path, {u: delar_workbooks[u] for u in units},
                    extra=smtp_server.smtp_key())
    mailing = write_drafts(root, PERIOD, units=units)
    client = ssl.create_default_context(cafile=str(smtp_server.cert))
    sent = send_drafts(root, mailing, "hemligt", context=client)
    assert sent == len([m for m in mailing.messages if m["To"]]) == len(smtp_server.received) > 0
    assert smtp_server.logins == [(b"samordnare", b"hemligt")]
    got = BytesParser(policy=policy.default).parsebytes(smtp_server.received[0].content)
    assert got["X-Unsent"] is None  # sent mail is no draft
    assert [a.get_filename() for a in got.iter_attachments()] == [f"{units[0]}.xlsx"]
    assert "hemligt" not in (root / "styrmodell" / "2026.yaml").read_text(encoding="utf-8")
    assert not any(b"hemligt" in p.read_bytes() for p in mailing.paths)


def test_the_cli_asks_for_the_password_when_the_environment_has_none(
        tmp_path: Path, delar_workbooks: dict[str, Path], smtp_server: _Server,
        monkeypatch: pytest.MonkeyPatch) -> None:
    unit = sorted(delar_workbooks)[0]
    root = _project(tmp_path, {unit: delar_workbooks[unit]}, extra=smtp_server.smtp_key())
    monkeypatch.delenv("REPORTKIT_SMTP_LOSENORD", raising=False)
    monkeypatch.setenv("SSL_CERT_FILE", str(smtp_server.cert))  # the system's trust, in a test
    result = CliRunner().invoke(main, ["utskick", str(root), "-p", PERIOD, "--enhet", unit,
                                       "--skicka"], input="fråga-mig\n")
    assert result.exit_code == 0, result.output
    assert "Lösenord för samordnare på 127.0.0.1" in result.output
    assert "Skickade 1 e-postutkast via 127.0.0.1." in result.output
    assert smtp_server.logins == [(b"samordnare", "fråga-mig".encode())]
    monkeypatch.setenv("REPORTKIT_SMTP_LOSENORD", "från-miljön")
    again = CliRunner().invoke(main, ["utskick", str(root), "-p", PERIOD, "--enhet", unit,
                                      "--skicka"])
    assert again.exit_code == 0 and "Lösenord" not in again.output
    assert smtp_server.logins[-1] == (b"samordnare", "från-miljön".encode())


def test_a_server_that_is_not_there_is_a_swedish_error_not_a_traceback(
        tmp_path: Path, delar_workbooks: dict[str, Path]) -> None:
    unit = sorted(delar_workbooks)[0]
    root = _project(tmp_path, {unit: delar_workbooks[unit]},
                    extra=f"\nsmtp: {{server: 127.0.0.1, port: {_free_port()}}}\n")
    result = CliRunner().invoke(main, ["utskick", str(root), "-p", PERIOD, "--enhet", unit,
                                       "--skicka"])
    assert result.exit_code == 2
    assert "kunde inte skickas" in result.output and "Traceback" not in result.output
