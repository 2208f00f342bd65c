#!/usr/bin/env python3
"""net/smtp against the harness Postfix (tests/server/README.md), through
smtp_send_helper: submission over implicit TLS (465-style) and over
STARTTLS (587-style) with AUTH, read back from the harness Dovecot over
IMAP: headers, body bytes (dot-stuffed lines intact), no Bcc, one
recipient refused while the others are accepted; and the refusals that
happen before anything is sent (SIZE, an overlong line).
Runs under tests/server/with-dovecot (smtp.itest); exits 77 (skip) when
the harness runs no Postfix (not root)."""
import imaplib
import os
import ssl
import subprocess
import sys
import tempfile
import time

E = os.environ
BUILD = E.get("top_builddir") or "."
HELPER = os.path.join(BUILD, "tests", "integration", "smtp_send_helper")
FAILED = []


def check(cond, what, detail=""):
    print(("ok - " if cond else "FAIL - ") + what, flush=True)
    if not cond:
        FAILED.append(what)
        if detail:
            print("    " + str(detail).replace("\n", "\n    "))
    return cond


def send(port, tls, msg, rcpts, user="alice", password="pw-alice",
         sender=None, extra=()):
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(msg)
    try:
        argv = [HELPER] + list(extra) + [
            E["POSTIE_TEST_NAME"], str(port), tls, user, password,
            E["POSTIE_TEST_CA"], sender or "%s@example.org" % user, f.name]
        p = subprocess.run(argv + rcpts, capture_output=True, timeout=60)
    finally:
        os.unlink(f.name)
    out = p.stdout.decode("utf-8", "replace")
    rows = [line.split("\t") for line in out.splitlines()]
    err = p.stderr.decode("utf-8", "replace")
    check(p.returncode in (0, 1) and "Sanitizer" not in err and
          "runtime error" not in err, "the helper ran cleanly", err)
    return p.returncode, rows, err


def fetch(user, subject, timeout=30):
    """The raw message with this Subject in user's INBOX (delivery is
    asynchronous: poll), or None."""
    ctx = ssl.create_default_context(cafile=E["POSTIE_TEST_CA"])
    deadline = time.time() + timeout
    while True:
        m = imaplib.IMAP4_SSL(E["POSTIE_TEST_NAME"],
                              int(E["POSTIE_TEST_IMAPS_PORT"]),
                              ssl_context=ctx, timeout=30)
        m.login(user, "pw-" + user)
        m.select("INBOX", readonly=True)
        typ, data = m.search(None, "HEADER", "Subject", '"%s"' % subject)
        found = None
        if typ == "OK" and data[0].split():
            typ, msg = m.fetch(data[0].split()[-1], "(BODY.PEEK[])")
            found = msg[0][1]
        m.logout()
        if found is not None or time.time() > deadline:
            return found
        time.sleep(0.1)


def header_and_body(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    return head, body


def postfix_log():
    try:
        with open(E["POSTIE_TEST_POSTFIX_LOG"], errors="replace") as f:
            return f.read()
    except OSError:
        return ""


# Lines that dot-stuffing must carry through: a lone dot, leading dots,
# and LF line ends (converted to CRLF on the wire).
BODY = (b"Hello Bob,\n"
        b".\n"
        b"..two dots\n"
        b".hidden\n"
        b" . not a terminator\n"
        b"\n"
        b"last line without a newline")


def message(subject, extra=b""):
    return (b"From: Alice Martin <alice@example.org>\n"
            b"To: Bob Builder <bob@example.org>\n"
            b"Subject: " + subject.encode() + b"\n"
            b"Date: Mon, 07 Dec 2026 10:00:00 +0000\n"
            b"Message-ID: <" + subject.replace(" ", "-").encode() +
            b"@example.org>\n"
            b"MIME-Version: 1.0\n"
            b"Content-Type: text/plain; charset=utf-8\n" + extra +
            b"\n" + BODY)


def rcpt_rows(rows):
    return {r[1]: r for r in rows if r and r[0] == "rcpt"}


def status_rows(rows):
    return [r for r in rows if r and r[0] == "status"]


def test_implicit_tls():
    port = E["POSTIE_TEST_SMTPS_PORT"]
    # carol stands for a Bcc recipient: she is in the envelope only.
    rc, rows, err = send(port, "implicit", message("smtp 465"),
                         ["bob@example.org", "nobody@example.org",
                          "carol@example.org"])
    check(rc == 0, "465: a message with one unknown recipient is sent",
          err)
    rr = rcpt_rows(rows)
    check(rr.get("bob@example.org", [""] * 3)[2] == "accepted" and
          rr.get("carol@example.org", [""] * 3)[2] == "accepted",
          "465: bob and carol accepted", rows)
    nobody = rr.get("nobody@example.org", [""] * 6)
    check(nobody[2:5] == ["refused", "550", "5.1.1"] and
          "unknown" in nobody[5].lower(),
          "465: nobody refused on its own with 550 5.1.1 and the "
          "server's words", rows)
    check(status_rows(rows)[-1][1:3] == ["accepted", "250"],
          "465: the final answer is 250", rows)
    for user in ("bob", "carol"):
        raw = fetch(user, "smtp 465")
        if not check(raw is not None, "465: delivered to %s" % user):
            continue
        head, body = header_and_body(raw)
        check(body == BODY.replace(b"\n", b"\r\n") + b"\r\n",
              "465: %s's body is byte for byte the original (dots, "
              "CRLF, final CRLF added)" % user, repr(body))
        check(b"\r\nSubject: smtp 465\r\n" in head and
              b"\r\nMessage-ID: <smtp-465@example.org>\r\n" in head and
              b"\r\nTo: Bob Builder <bob@example.org>\r\n" in head,
              "465: %s's headers are as sent" % user, repr(head))
        check(b"carol" not in head.split(b"\r\nFrom: ")[1] and
              b"\nbcc:" not in head.lower(),
              "465: no Bcc and no trace of carol in the headers",
              repr(head))


def test_starttls():
    port = E["POSTIE_TEST_SUBMISSION_PORT"]
    before = len(postfix_log())
    rc, rows, err = send(port, "starttls", message("smtp 587"),
                         ["bob@example.org"])
    check(rc == 0, "587: sent after STARTTLS and AUTH", err)
    log = postfix_log()[before:]
    check("submission/smtpd" in log and "TLS connection established" in
          log and "sasl_method=PLAIN" in log and "sasl_username=alice"
          in log, "587: Postfix saw TLS, then AUTH PLAIN as alice", log)
    raw = fetch("bob", "smtp 587")
    check(raw is not None and header_and_body(raw)[1] ==
          BODY.replace(b"\n", b"\r\n") + b"\r\n",
          "587: delivered to bob, body intact", repr(raw))


def test_8bit():
    port = E["POSTIE_TEST_SMTPS_PORT"]
    body8 = "Grüße aus München\n".encode()
    msg = message("smtp 8bit", b"Content-Transfer-Encoding: 8bit\n")
    msg = msg.replace(BODY, body8)
    rc, rows, err = send(port, "implicit", msg, ["bob@example.org"])
    check(rc == 0, "8-bit body accepted (Postfix offers 8BITMIME)", err)
    raw = fetch("bob", "smtp 8bit")
    check(raw is not None and raw.endswith(body8.replace(b"\n", b"\r\n")),
          "8-bit body delivered as sent", repr(raw))


def test_refusals():
    port = E["POSTIE_TEST_SMTPS_PORT"]
    rc, rows, err = send(port, "implicit", message("smtp badpw"),
                         ["bob@example.org"], password="wrong")
    check(rc == 1 and "refused the login of alice" in err and
          "wrong" not in err, "a wrong password: refused, named, not "
          "shown", err)
    before = postfix_log().count("client=")
    big = message("smtp big") + b"\n" + (b"x" * 76 + b"\n") * 14000
    rc, rows, err = send(port, "implicit", big, ["bob@example.org"])
    check(rc == 1 and status_rows(rows)[-1][1] == "not sent" and
          status_rows(rows)[-1][-1] == "size" and "MB" in err,
          "a message over Postfix's SIZE is refused before MAIL", err)
    time.sleep(0.2)
    check(postfix_log().count("client=") == before,
          "... and Postfix saw no MAIL FROM for it")
    long_line = message("smtp long") + b"\n" + b"y" * 999 + b"\n"
    rc, rows, err = send(port, "implicit", long_line, ["bob@example.org"])
    n = long_line.count(b"\n")
    check(rc == 1 and ("line %d " % n) in err and "998" in err,
          "a 999-byte line is refused, naming its line", err)
    rc, rows, err = send(port, "implicit", message("smtp relay"),
                         ["someone@elsewhere.test"])
    check(rc == 1 and status_rows(rows)[-1][1] == "permanent failure" and
          "elsewhere.test" in err, "the only recipient refused: "
          "permanent, named, nothing sent", err)


def main():
    if "POSTIE_TEST_SMTPS_PORT" not in E:
        print("skip: no Postfix in the harness (%s)" %
              E.get("POSTIE_TEST_NO_SMTP", "?"))
        return 77
    for t in (test_implicit_tls, test_starttls, test_8bit, test_refusals):
        try:
            t()
        except Exception as e:  # one broken part must not hide the rest
            check(False, "%s ran" % t.__name__, "%s: %s" % (
                type(e).__name__, e))
    print("%d failed" % len(FAILED))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
