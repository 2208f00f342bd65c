#!/usr/bin/env python3
"""postie send and postie outbox against the harness Postfix (submission
over implicit TLS and over STARTTLS, AUTH through Dovecot, delivery over
LMTP into the harness Dovecot).  What was sent is read back over IMAP.

- send waits, prints the Message-ID, exits 0; the message reached To, Cc
  and Bcc recipients byte for byte (a dot-stuffed line intact), with no
  Bcc header anywhere; the Sent copy is in alice's Sent, \\Seen.
- A refused recipient: the others get it, send exits 1, and the outbox
  keeps a failed record for the refused address alone.
- --queue stores and returns; `postie sync` sends it.
- An unreachable server: send exits 1, the message waits queued.

Run under tests/server/with-dovecot with $POSTIE; skipped (77) when the
harness runs no Postfix.
"""
import email
import imaplib
import os
import re
import ssl
import subprocess
import sys
import tempfile
import time

POSTIE = os.environ["POSTIE"]
ENV = os.environ
FAILED = []


def check(cond, what):
    print(("ok - " if cond else "FAIL - ") + what, flush=True)
    if not cond:
        FAILED.append(what)
    return cond


def imap(user):
    ctx = ssl.create_default_context(cafile=ENV["POSTIE_TEST_CA"])
    m = imaplib.IMAP4_SSL(ENV["POSTIE_TEST_NAME"],
                          int(ENV["POSTIE_TEST_IMAPS_PORT"]),
                          ssl_context=ctx)
    m.login(user, "pw-" + user)
    return m


def find(user, subject, folder="INBOX", timeout=30):
    """(raw bytes, flags) of the message with this subject, waiting for
    delivery; None if it never came."""
    end = time.time() + timeout
    while time.time() < end:
        m = imap(user)
        typ, _ = m.select(folder, readonly=True)
        if typ == "OK":
            typ, data = m.uid("SEARCH", None, "SUBJECT", '"%s"' % subject)
            uids = data[0].split() if data and data[0] else []
            if uids:
                typ, d = m.uid("FETCH", uids[-1], "(FLAGS BODY.PEEK[])")
                m.logout()
                head = d[0][0].decode()
                return d[0][1], re.search(r"FLAGS \((.*?)\)", head).group(1)
        m.logout()
        time.sleep(0.3)
    return None


class Client:
    def __init__(self, port, tls, smtp_host=None):
        self.dir = tempfile.mkdtemp(prefix="postie-send-")
        self.cfg = os.path.join(self.dir, "config")
        with open(self.cfg, "w") as fp:
            fp.write("[account w]\nprotocol = imap\nhost = %s\nport = %s\n"
                     "tls = implicit\nuser = alice\npassword_command = echo "
                     "pw-alice\nca_file = %s\ntimeout = 10\n"
                     "from = Alice Martin <alice@example.org>\n"
                     "smtp_host = %s\nsmtp_port = %s\nsmtp_tls = %s\n" %
                     (ENV["POSTIE_TEST_NAME"], ENV["POSTIE_TEST_IMAPS_PORT"],
                      ENV["POSTIE_TEST_CA"], smtp_host or
                      ENV["POSTIE_TEST_NAME"], port, tls))
        os.chmod(self.cfg, 0o600)
        self.env = dict(os.environ)
        for k in ("DATA", "STATE", "CACHE", "CONFIG"):
            self.env["XDG_%s_HOME" % k] = os.path.join(self.dir, k.lower())

    def run(self, *args, stdin=None):
        p = subprocess.run([POSTIE, "-c", self.cfg] + list(args),
                           env=self.env, capture_output=True, input=stdin,
                           timeout=120)
        err = p.stderr.decode("utf-8", "replace")
        if "Sanitizer" in err or "runtime error" in err:
            check(False, "no sanitizer report: %s" % err[:2000])
        return p.returncode, p.stdout.decode("utf-8", "replace"), err

    def outbox(self):
        rc, out, err = self.run("outbox")
        return [l.split("\t") for l in out.splitlines() if l]


def message(subject, to="Bob <bob@example.org>", cc="carol@example.org",
            bcc="alice@example.org"):
    lines = ["From: Alice Martin <alice@example.org>", "To: " + to]
    if cc:
        lines.append("Cc: " + cc)
    if bcc:
        lines.append("Bcc: " + bcc)
    lines += ["Subject: " + subject, "", "Hello Bob,",
              ".a line that starts with a dot",
              "..and one with two", "", "-- ", "Alice", ""]
    return "\n".join(lines).encode()


def main():
    if ENV.get("POSTIE_TEST_NO_SMTP"):
        print("# skipped: %s" % ENV["POSTIE_TEST_NO_SMTP"])
        return 77

    # 1. Implicit TLS (465-style), every kind of recipient.
    c = Client(ENV["POSTIE_TEST_SMTPS_PORT"], "implicit")
    c.run("sync")
    rc, out, err = c.run("send", stdin=message("send one"))
    check(rc == 0, "send exits 0 (%s)" % err.strip())
    msgid = out.strip()
    check(re.fullmatch(r"<[^<>@\s]+@example\.org>", msgid) is not None,
          "send prints the Message-ID: %r" % out)
    for user in ("bob", "carol", "alice"):
        got = find(user, "send one")
        if not check(got is not None, "%s received it" % user):
            continue
        raw, flags = got
        msg = email.message_from_bytes(raw)
        check(msg["Message-ID"] == msgid,
              "%s: the same Message-ID (%s)" % (user, msg["Message-ID"]))
        check(b"Bcc" not in raw.split(b"\r\n\r\n", 1)[0] and
              b"bcc" not in raw.split(b"\r\n\r\n", 1)[0].lower(),
              "%s: no Bcc in the delivered header" % user)
        body = raw.split(b"\r\n\r\n", 1)[1]
        check(b"\r\n.a line that starts with a dot\r\n..and one with two"
              b"\r\n" in body, "%s: dot lines intact" % user)
        check(msg["Date"] is not None and msg["MIME-Version"] == "1.0",
              "%s: Date and MIME-Version added" % user)
    sent = find("alice", "send one", folder="Sent", timeout=10)
    check(sent is not None and "\\Seen" in sent[1],
          "the Sent copy is in Sent, \\Seen (%s)" %
          (sent[1] if sent else None))
    check(c.outbox() == [], "the outbox is empty: %s" % c.outbox())

    # 2. STARTTLS (587-style).
    c2 = Client(ENV["POSTIE_TEST_SUBMISSION_PORT"], "starttls")
    rc, out, err = c2.run("send", stdin=message("send two", cc=None,
                                                bcc=None))
    check(rc == 0, "send over STARTTLS exits 0 (%s)" % err.strip())
    check(find("bob", "send two") is not None, "bob received it")

    # 3. A refused recipient: partial.
    rc, out, err = c.run("send", stdin=message(
        "send three", to="bob@example.org, nosuchuser@example.org",
        cc=None, bcc=None))
    check(rc == 1, "a refused recipient makes send exit 1 (%s)" % rc)
    check("nosuchuser@example.org" in err,
          "and says who: %r" % err.strip())
    check(find("bob", "send three") is not None,
          "bob received it all the same")
    ob = c.outbox()
    check(len(ob) == 1 and ob[0][2] == "failed" and
          ob[0][4] == "nosuchuser@example.org",
          "the outbox keeps it for the refused address alone: %s" % ob)

    # 4. --queue, then sync sends it.
    q = Client(ENV["POSTIE_TEST_SMTPS_PORT"], "implicit")
    rc, out, err = q.run("send", "--queue", stdin=message("send four",
                                                          cc=None, bcc=None))
    check(rc == 0 and out == "", "send --queue exits 0 at once (%s)" % err)
    ob = q.outbox()
    check(len(ob) == 1 and ob[0][2] == "queued" and ob[0][1] == "w" and
          ob[0][5] == "send four",
          "outbox: id, account, queued, date, rcpts, subject: %s" % ob)
    check(find("bob", "send four", timeout=2) is None,
          "not sent before the worker runs")
    rc, out, err = q.run("sync", "w")
    check(rc == 0, "sync exits 0 (%s)" % err.strip())
    check(find("bob", "send four") is not None, "sync sent it")
    check(q.outbox() == [], "the outbox is empty again: %s" % q.outbox())

    # 5. No server: the message waits, queued, with the reason.
    off = Client("1", "implicit")  # nothing listens on port 1
    rc, out, err = off.run("send", stdin=message("send five", cc=None,
                                                 bcc=None))
    check(rc == 1 and "outbox" in err,
          "unreachable: send exits 1 and says it waits: %r" % err.strip())
    ob = off.outbox()
    check(len(ob) == 1 and ob[0][2] == "queued" and ob[0][6] != "",
          "it waits queued, with the reason: %s" % ob)

    # 6. A subject with escape sequences, a TAB and a backslash: one
    # record of 7 fields, nothing a terminal acts on, the subject cleaned
    # (as the index shows it) and its backslash escaped as postie(1) says.
    rc, out, err = off.run("send", "--queue", stdin=message(
        "evil \x1b]52;c;cHduZWQ=\x07\x1b[2Jtab\there C:\\temp", cc=None,
        bcc=None))
    p = subprocess.run([POSTIE, "-c", off.cfg, "outbox"], env=off.env,
                       capture_output=True, timeout=60)
    check(rc == 0 and p.returncode == 0, "queued and listed (%s)" % err)
    check(not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", p.stdout + p.stderr),
          "outbox prints no control byte: %r" % p.stdout)
    recs = [l.split(b"\t") for l in p.stdout.splitlines()]
    check(len(recs) == 2 and all(len(r) == 7 for r in recs),
          "outbox: two records of 7 fields: %r" % p.stdout)
    check(any(r[5] == b"evil tab here C:\\\\temp" for r in recs),
          "the subject cleaned, its backslash escaped: %r" % p.stdout)

    if FAILED:
        print("%d checks failed" % len(FAILED))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
