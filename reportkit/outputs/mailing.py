"""``reportkit utskick``: one e-mail draft (.eml) per unit with its styrkort, and reminders.

The drafts are standard RFC 5322 messages with ``X-Unsent: 1`` (Outlook opens such a file as
an unsent, editable draft), written atomically to ``utskick/<period>/e-post/`` (reminders to
``utskick/<period>/påminnelser/``). Same styrmodell, workbooks and ``--datum`` give the same
bytes: Date and Message-ID come from the period, the unit and the day, the MIME boundary from
the content, never from the clock or chance. Sending over SMTP (STARTTLS) is a separate step
on the same messages, without ``X-Unsent``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reportkit import texts
from reportkit.errors import Problem, ReportkitError, problem
from reportkit.files import write_bytes_atomic
from reportkit.formats import format_date
from reportkit.styrmodell.project import Project, as_project

if TYPE_CHECKING:
    import smtplib
    import ssl

    from reportkit.styrmodell.config import Period, Smtp
    from reportkit.styrmodell.model import OrgUnit, Styrmodell

DRAFTS = "e-post"
REMINDERS = "påminnelser"
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PASSWORD_ENV = "REPORTKIT_SMTP_LOSENORD"


@dataclass
class Mailing:
    """What ``utskick`` wrote: the drafts, the problems (no address, no workbook) and the
    folder they are in."""

    folder: Path
    paths: list[Path] = field(default_factory=list)
    messages: list[EmailMessage] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    reminder: bool = False
    period: str = ""


@dataclass(frozen=True)
class _Letter:
    """One unit's mail: to whom, the subject and the body paragraphs."""

    unit: OrgUnit
    subject: str
    paragraphs: list[str]
    attach: bool = True
    """False for a reminder to correct a submitted styrkort: the unit corrects its own file,
    not a blank one."""


def write_drafts(project: Project | Path | str, period_id: str | None = None,
                 reminder: bool = False, units: list[str] | None = None) -> Mailing:
    """One .eml per unit that reports in the period (``reminder``: per unit whose styrkort is
    missing, overdue or has fel, from the submission status after consolidate)."""
    project = as_project(project)
    model, period = project.period(period_id)
    from reportkit.styrmodell.periods import today

    day = today()
    folder = project.outbox(period.id) / (REMINDERS if reminder else DRAFTS)
    letters = (_reminders(project, model, period, day) if reminder
               else [_first_letter(model, period, u) for u in model.reporting_units(period)])
    if units:
        from reportkit.styrmodell.lookup import find_unit

        wanted = {find_unit(model, text).id for text in units}
        letters = [x for x in letters if x.unit.id in wanted]
    result = Mailing(folder, reminder=reminder, period=period.id)
    for letter in letters:
        msg = _message(project, model, period, letter, day, reminder, result.problems)
        path = folder / f"{letter.unit.id}.eml"
        write_bytes_atomic(path, msg.as_bytes(policy=policy.SMTP))
        result.paths.append(path)
        result.messages.append(msg)
    return result


def _deadline(period: Period, unit: OrgUnit) -> str:
    found = period.deadlines.get(unit.level)
    return format_date(found) if found else texts.MAIL_NO_DEADLINE


def _coordinator(model: Styrmodell, unit: OrgUnit) -> tuple[str, str, str]:
    from reportkit.workbook.content import coordinator_of

    return coordinator_of(model, unit.id)


def _first_letter(model: Styrmodell, period: Period, unit: OrgUnit) -> _Letter:
    coordinator = _coordinator(model, unit)[0] or model.config.kommun.name
    values = {"unit": unit.name, "period": period.name, "deadline": _deadline(period, unit),
              "file": f"{unit.id}.xlsx", "coordinator": coordinator}
    return _Letter(unit, texts.MAIL_SUBJECT.format(**values), [texts.MAIL_BODY.format(**values)])


def _reminders(project: Project, model: Styrmodell, period: Period, day: dt.date
               ) -> list[_Letter]:
    """Reminders from the submission status (``outputs/explain.py``): every unit that was sent
    a workbook (it is in ``utskick/<period>/``) and has not handed in one without fel."""
    from reportkit.outputs.explain import submission_overview

    statuses, _ = submission_overview(project, period.id)
    outbox = project.outbox(period.id)
    out = []
    for s in statuses:
        if s.state == "inkommen" or s.state.startswith("ej utskick") \
                or not (outbox / f"{s.unit_id}.xlsx").is_file():
            continue
        unit = model.units[s.unit_id]
        deadline = period.deadlines.get(unit.level)
        values = {"unit": unit.name, "period": period.name, "deadline": _deadline(period, unit),
                  "file": s.file if s.errors else f"{unit.id}.xlsx", "errors": s.errors,
                  "coordinator": _coordinator(model, unit)[0] or model.config.kommun.name,
                  "deadline_word": texts.MAIL_DEADLINE_PAST if deadline and deadline < day
                  else texts.MAIL_DEADLINE_COMING}
        body = texts.MAIL_REMINDER_ERRORS if s.errors else texts.MAIL_REMINDER_MISSING
        out.append(_Letter(unit, texts.MAIL_REMINDER_SUBJECT.format(**values),
                           [body.format(**values)], attach=not s.errors))
    return out


def _address(name: str, addr: str) -> Address | str:
    """A header address; a non-ASCII local part (allowed by SMTPUTF8) as plain text."""
    try:
        return Address(display_name=name, addr_spec=addr)
    except (ValueError, IndexError):
        return f"{name} <{addr}>" if name else addr


def _message(project: Project, model: Styrmodell, period: Period, letter: _Letter,
             day: dt.date, reminder: bool, problems: list[Problem]) -> EmailMessage:
    unit = letter.unit
    c_name, c_email, c_phone = _coordinator(model, unit)
    sender = c_email or model.config.kommun.email or ""
    msg = EmailMessage(policy=policy.SMTP)
    msg["X-Unsent"] = "1"
    if sender:
        msg["From"] = _address(c_name, sender)
    if unit.email:
        msg["To"] = _address(unit.manager or unit.name, unit.email)
    else:
        problems.append(problem("mail-no-address", name=unit.name, id=unit.id))
    msg["Subject"] = letter.subject
    msg["Date"] = format_datetime(dt.datetime.combine(day, dt.time(8, 0),
                                                      tzinfo=dt.UTC))
    seed = f"{period.id}|{unit.id}|{'påminnelse' if reminder else 'utskick'}|{day.isoformat()}"
    digest = hashlib.sha256(seed.encode()).hexdigest()
    domain = sender.rpartition("@")[2] or "reportkit.invalid"
    msg["Message-ID"] = f"<{digest[:32]}@{domain}>"
    greeting = (texts.MAIL_GREETING.format(manager=unit.manager) if unit.manager
                else texts.MAIL_GREETING_NO_NAME)
    contact = ", ".join(x for x in (c_email, c_phone) if x)
    closing = [texts.MAIL_CONTACT.format(coordinator=c_name or model.config.kommun.name,
                                         contact=f" ({contact})" if contact else ""),
               texts.MAIL_SIGNATURE.format(coordinator=c_name, kommun=model.config.kommun.name)]
    msg.set_content("\n\n".join([greeting, *letter.paragraphs, *closing]) + "\n")
    workbook = project.outbox(period.id) / f"{unit.id}.xlsx"
    if not letter.attach:
        pass
    elif workbook.is_file():
        data = workbook.read_bytes()
        msg.add_attachment(data, maintype=XLSX[0], subtype=XLSX[1], filename=workbook.name)
        digest = hashlib.sha256(digest.encode() + data).hexdigest()
    else:
        problems.append(problem("mail-no-workbook", name=unit.name,
                                folder=f"utskick/{period.id}", project=str(project.root),
                                period=period.id))
    if msg.is_multipart():
        msg.set_boundary(f"=_reportkit_{digest[:24]}")
    return msg


def send_drafts(project: Project | Path | str, mailing: Mailing, password: str | None,
                context: ssl.SSLContext | None = None) -> int:
    """Send the drafts over the styrmodell's ``smtp:`` with STARTTLS (``X-Unsent`` removed;
    the server's certificate checked, ``context`` defaults to the system's). Drafts without a
    recipient are not sent. Returns how many were sent; a failure says how many went."""
    import smtplib
    import ssl

    settings = smtp_settings(project, mailing.period)
    folder = f"utskick/{mailing.period}/{mailing.folder.name}"
    if settings is None:
        raise ReportkitError(problem("smtp-not-configured", folder=folder))
    sendable = [m for m in mailing.messages if m["To"]]
    sent = 0
    try:
        with smtplib.SMTP(settings.server, settings.port, timeout=30) as server:
            server.starttls(context=context or ssl.create_default_context())
            if settings.user:
                _login(server, settings.user, password or "")
            for msg in sendable:
                server.send_message(_without_unsent(msg))
                sent += 1
    except (OSError, smtplib.SMTPException) as exc:
        raise ReportkitError(problem(
            "smtp-failed", server=settings.server, port=settings.port,
            reason=str(exc) or type(exc).__name__, sent=sent, total=len(sendable),
            folder=folder)) from None
    return sent


def _login(server: smtplib.SMTP, user: str, password: str) -> None:
    """smtplib's login, except that a user or password with å, ä, ö (which smtplib can only
    send as ASCII) goes as AUTH PLAIN in UTF-8 (RFC 4616)."""
    import base64
    import smtplib

    if (user + password).isascii():
        server.login(user, password)
        return
    server.ehlo_or_helo_if_needed()
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, reply = server.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _without_unsent(msg: EmailMessage) -> EmailMessage:
    import copy

    out = copy.deepcopy(msg)
    del out["X-Unsent"]
    return out


def smtp_settings(project: Project | Path | str, period_id: str | None = None) -> Smtp | None:
    """The styrmodell's ``smtp:`` (None when it has none)."""
    model, _ = as_project(project).period(period_id)
    return model.config.smtp
