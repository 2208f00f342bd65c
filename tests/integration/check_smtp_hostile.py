#!/usr/bin/env python3
"""net/smtp against every SMTP scripted-server scenario (tests/server/
scenarios/smtp-*.scn), driven through smtp_send_helper: the faults the
real Postfix of the harness cannot produce.  Besides the keys of
scenario.py (expect-exit, expect-stderr, forbid-stderr(-bytes),
forbid-sent, expect-within) a scenario may say:

  client-tls: implicit | starttls | none   (default implicit)
  client-rcpts: ADDR ...          recipients (default bob@example.org)
  client-message: plain | 8bit    the message sent (default plain)
  client-retry: yes               the caller sends again after a
                                  temporary failure (smtp_send_helper -r)
  client-timeout: SECONDS         the account's timeout (default 3)
  expect-stdout: REGEX            over the helper's per-recipient and
                                  status lines ("status\\tunknown\\t...")
  expect-sent: REGEX              must match the transcript
  client: send                    drive `postie send` ($POSTIE, a POP3
                                  account whose smtp_port is the
                                  scripted server) instead of the engine
  expect-decoded: yes             (with client: send) the message the
                                  server got decodes, part by part, to
                                  the bytes of the one given, and the
                                  Sent copy is the one given, 8-bit

Never a crash, never a hang (the helper's timeout is 3 s unless the scenario says), never the
password in plaintext.  Runs under tests/server/with-dovecot
(smtp_hostile.itest)."""
import email
import email.policy
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SRC = os.environ.get("top_srcdir") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("top_builddir") or "."
HELPER = os.path.join(BUILD, "tests", "integration", "smtp_send_helper")
sys.path.insert(0, os.path.join(SRC, "tests", "server"))
import scenario  # noqa: E402

MESSAGES = {
    "plain": b"From: alice@example.org\nTo: bob@example.org\nSubject: hostile\n\nHello.\n.\n..dots\n",
    "8bit": "From: alice@example.org\nTo: bob@example.org\nSubject: hostile\n"
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
            "Grüße aus München\n".encode(),
    # 8-bit text, an 8-bit binary attachment, a 7-bit part, an 8-bit
    # subject and display name: what a script hands `postie send`.
    "8bit-parts": "From: Alice Müller <alice@example.org>\nTo: bob@example.org\n"
                  "Subject: Grüße\nMIME-Version: 1.0\n"
                  "Content-Type: multipart/mixed; boundary=XyZ\n\n"
                  "--XyZ\nContent-Type: text/plain; charset=utf-8\n"
                  "Content-Transfer-Encoding: 8bit\n\n"
                  "Grüße aus München, trailing blank \n.a dot line\nFrom the start\n"
                  "--XyZ\nContent-Type: text/plain; charset=us-ascii\n\nseven bit\n"
                  "--XyZ\nContent-Type: application/octet-stream\n"
                  "Content-Disposition: attachment; filename=raw.bin\n\n".encode()
                  + bytes(range(0x80, 0x100)) + b"\n--XyZ--\n",
    # An 8-bit file name parameter has no 7-bit form here.
    "8bit-filename": "From: alice@example.org\nTo: bob@example.org\nSubject: x\n"
                     "MIME-Version: 1.0\nContent-Type: application/pdf\n"
                     "Content-Disposition: attachment; filename=\"été.pdf\"\n\n"
                     "%PDF é\n".encode(),
}


def run_one(path, certs):
    srv = scenario.Server(path, certs)
    sc = srv.sc
    problems = []
    msgfile = tempfile.NamedTemporaryFile(delete=False)
    try:
        msgfile.write(MESSAGES[sc.get("client-message", "plain")])
        msgfile.close()
        args = [HELPER, "-t", sc.get("client-timeout", "3")]
        if sc.get("client-retry") == "yes":
            args.append("-r")
        args += [os.environ["POSTIE_TEST_NAME"], srv.port, sc.get("client-tls", "implicit"), "alice",
                 "pw-alice", os.environ["POSTIE_TEST_CA"], "alice@example.org", msgfile.name]
        args += sc.get("client-rcpts", "bob@example.org").split()
        limit = float(sc.get("expect-within", "30"))
        t0 = time.monotonic()
        try:
            p = subprocess.run(args, capture_output=True, timeout=limit + 5)
        except subprocess.TimeoutExpired:
            problems.append("helper still running after %.0f s" % (limit + 5))
            return problems, ""
        problems += scenario.check_run(sc, p.returncode, p.stdout, p.stderr, time.monotonic() - t0)
        out = p.stdout.decode("utf-8", "replace")
        if "expect-stdout" in sc and not re.search(sc["expect-stdout"], out, re.M):
            problems.append("stdout lacks /%s/ (got %r)" % (sc["expect-stdout"], out))
        sent = srv.sent()
        problems += scenario.check_sent(sc, sent)
        if "expect-sent" in sc and not re.search(sc["expect-sent"], sent, re.M):
            problems.append("transcript lacks /%s/" % sc["expect-sent"])
        if re.search(r"^plain: AUTH", sent, re.M) and sc.get("client-tls") != "none":
            problems.append("sent AUTH in plaintext")
        return problems, p.stderr.decode("utf-8", "replace")
    finally:
        os.unlink(msgfile.name)
        srv.close(problems)


def leaves(raw):
    """(type, decoded bytes) of each leaf part, text line ends as LF."""
    out = []
    for part in email.message_from_bytes(raw, policy=email.policy.compat32).walk():
        if part.is_multipart():
            continue
        data = part.get_payload(decode=True) or b""
        if part.get_content_maintype() == "text":
            data = data.replace(b"\r\n", b"\n")
        out.append((part.get_content_type(), data))
    return out


def received(transcript):
    """The message the scripted server read after DATA, dots unstuffed."""
    lines = [l[len("data: "):] for l in transcript.split("\n") if l.startswith("data: ")]
    lines = [l[1:] if l.startswith(".") else l for l in lines]
    return ("\r\n".join(lines) + "\r\n").encode("latin-1")


def run_send(path, certs):
    """`postie send` against the scenario's server."""
    srv = scenario.Server(path, certs)
    sc = srv.sc
    problems = []
    work = tempfile.mkdtemp(prefix="postie-send7.")
    try:
        given = MESSAGES[sc.get("client-message", "plain")]
        cfg = os.path.join(work, "config")
        with open(cfg, "w") as f:
            f.write("[account p]\nprotocol = pop3\nhost = %s\nport = 1\ntls = implicit\n"
                    "user = alice\npassword_command = echo pw-alice\nca_file = %s\n"
                    "timeout = %s\nfrom = alice@example.org\nsmtp_port = %s\n"
                    % (os.environ["POSTIE_TEST_NAME"], os.environ["POSTIE_TEST_CA"],
                       sc.get("client-timeout", "3"), srv.port))
        os.chmod(cfg, 0o600)
        env = dict(os.environ)
        for k in ("DATA", "STATE", "CACHE", "CONFIG"):
            env["XDG_%s_HOME" % k] = os.path.join(work, k.lower())
        limit = float(sc.get("expect-within", "30"))
        t0 = time.monotonic()
        try:
            p = subprocess.run([os.environ["POSTIE"], "-c", cfg, "send"], input=given, env=env,
                               capture_output=True, timeout=limit + 5)
        except subprocess.TimeoutExpired:
            problems.append("postie send still running after %.0f s" % (limit + 5))
            return problems, ""
        problems += scenario.check_run(sc, p.returncode, p.stdout, p.stderr, time.monotonic() - t0)
        sent = srv.sent()
        problems += scenario.check_sent(sc, sent)
        if "expect-sent" in sc and not re.search(sc["expect-sent"], sent, re.M):
            problems.append("transcript lacks /%s/" % sc["expect-sent"])
        if sc.get("expect-decoded") == "yes":
            wire = received(sent)
            if any(b >= 0x80 for b in wire):
                problems.append("an 8-bit byte went to a server without 8BITMIME")
            if leaves(wire) != leaves(given):
                problems.append("the parts the server got decode differently: %r" % leaves(wire))
            copies = glob.glob(os.path.join(work, "data", "postie", "mail", "p", "Sent", "*", "*"))
            if len(copies) != 1:
                problems.append("%d Sent copies" % len(copies))
            else:
                copy = open(copies[0], "rb").read()
                if leaves(copy) != leaves(given) or b"Gr\xc3\xbc\xc3\x9fe aus" not in copy:
                    problems.append("the Sent copy is not the original 8-bit message")
        rc = subprocess.run([os.environ["POSTIE"], "-c", cfg, "outbox"], env=env, capture_output=True)
        state = [l.split(b"\t")[2].decode() for l in rc.stdout.splitlines()]
        want = sc.get("expect-outbox", "")
        if " ".join(state) != want:
            problems.append("outbox states %r, not %r" % (state, want))
        return problems, p.stderr.decode("utf-8", "replace")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        srv.close(problems)


def run(path, certs):
    if scenario.load(path).get("client") == "send":
        return run_send(path, certs)
    return run_one(path, certs)


def main():
    return scenario.run_all(sys.argv[1:] or scenario.scenarios("smtp-*.scn"), run, "engine")


if __name__ == "__main__":
    sys.exit(main())
