#!/usr/bin/env python3
"""Runs postie against each hostile-server scenario and checks what it did.

hostile_run.py [SCENARIO...]   (default: tests/server/scenarios/*.scn)

Needs the harness environment (run under tests/server/with-dovecot) and
$POSTIE.  For each scenario: start tests/server/hostile.py, write a config
whose account "evil" points at it, run `postie sync evil` (bounded in
time), then `postie folders evil` and `postie list evil`, and check the
scenario's expectations:

  expect-exit: ok | fail          status of `postie sync`
  expect-stderr: REGEX            must match what sync printed on stderr
  forbid-stderr: REGEX            must not match it
  forbid-stderr-bytes: REGEX      bytes regex over sync's stdout + stderr
  forbid-sent: REGEX              must not match the transcript of what
                                  postie sent ("plain: LINE" / "tls: LINE")
  expect-stored: REGEX            must match `postie list` + `folders`
  forbid-stored: REGEX            must not match them (nor the Maildir)
  forbid-stored-bytes: REGEX      bytes regex over the same
  expect-no-file-outside: yes     no file named like the attack anywhere
                                  outside postie's own folders
  expect-within: SECONDS          sync must end within (default 60)
  expect-sync-stderr: REGEX       like expect-stderr, for `postie sync`
                                  only (the engine probe prints other
                                  words)

Whatever the scenario, postie must not crash (no signal, no sanitizer
report) and must not hang.
"""
import glob
import os
import re
import subprocess
import sys
import time

SRC = os.environ.get("top_srcdir") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(SRC, "tests", "server"))
import scenario  # noqa: E402

POSTIE = os.environ["POSTIE"]


def run_one(path, certs):
    srv = scenario.Server(path, certs)
    sc = srv.sc
    problems = []
    try:
        proto = sc.get("protocol", "imap")
        home = os.path.join(srv.work, "home")
        penv = dict(os.environ)
        for k, d in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
            penv[k] = os.path.join(home, d)
        os.makedirs(penv["XDG_CONFIG_HOME"])
        cfg = os.path.join(penv["XDG_CONFIG_HOME"], "config")
        user, pw = ("alice", "pw-alice") if proto == "imap" else ("bob", "pw-bob")
        with open(cfg, "w") as f:
            f.write("[account evil]\nprotocol = %s\nhost = %s\nport = %s\ntls = %s\nuser = %s\n"
                    "password_command = echo %s\nca_file = %s\ntimeout = 3\n" % (
                        proto, os.environ["POSTIE_TEST_NAME"], srv.port, sc.get("client-tls", "implicit"),
                        user, pw, os.environ["POSTIE_TEST_CA"]))
            if sc.get("client-pin") == "selfsigned":
                f.write("tls_fingerprint = sha256:%s\n" % scenario.selfsigned_fp(certs))
            if proto == "pop3":
                f.write("keep_on_server = no\n")
        os.chmod(cfg, 0o600)
        limit = float(sc.get("expect-within", "60"))
        t0 = time.monotonic()
        try:
            p = subprocess.run([POSTIE, "-c", cfg, "sync", "evil"], env=penv, capture_output=True,
                               timeout=limit + 5)
        except subprocess.TimeoutExpired:
            problems.append("postie sync still running after %.0f s" % (limit + 5))
            return problems, ""
        problems += scenario.check_run(sc, p.returncode, p.stdout, p.stderr, time.monotonic() - t0)
        if "expect-sync-stderr" in sc and not re.search(
                sc["expect-sync-stderr"], p.stderr.decode("utf-8", "replace")):
            problems.append("stderr lacks /%s/" % sc["expect-sync-stderr"])
        problems += scenario.check_sent(sc, srv.sent())
        stored = b""
        for cmd in (["folders", "evil"], ["list", "evil"]):
            q = subprocess.run([POSTIE, "-c", cfg] + cmd, env=penv, capture_output=True, timeout=30)
            if q.returncode < 0 or b"Sanitizer" in q.stderr:
                problems.append("postie %s crashed" % cmd[0])
            stored += q.stdout
        for root, _, files in os.walk(os.path.join(home, "data")):
            for fn in files:
                if not fn.endswith((".db", "-wal", "-shm")):
                    with open(os.path.join(root, fn), "rb") as fh:
                        stored += fh.read()
        problems += scenario.check_stored(sc, stored)
        if sc.get("expect-no-file-outside") == "yes":
            if os.path.exists("/tmp/pwned") or glob.glob(os.path.join(srv.work, "**", "pwned*"), recursive=True):
                problems.append("a file named by the server was created outside postie's folders")
            for root, dirs, files in os.walk(home):
                for n in dirs + files:
                    full = os.path.realpath(os.path.join(root, n))
                    if not full.startswith(os.path.realpath(home)):
                        problems.append("path escapes the data folder: %s" % full)
        return problems, p.stderr.decode("utf-8", "replace")
    finally:
        srv.close(problems)


def main():
    return scenario.run_all(sys.argv[1:] or scenario.scenarios("*.scn"), run_one, "postie")


if __name__ == "__main__":
    sys.exit(main())
