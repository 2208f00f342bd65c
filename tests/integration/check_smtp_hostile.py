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

Never a crash, never a hang (the helper's timeout is 3 s unless the scenario says), never the
password in plaintext.  Runs under tests/server/with-dovecot
(smtp_hostile.itest)."""
import os
import re
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


def main():
    return scenario.run_all(sys.argv[1:] or scenario.scenarios("smtp-*.scn"), run_one, "engine")


if __name__ == "__main__":
    sys.exit(main())
