#!/usr/bin/env python3
"""net/imap against every IMAP hostile-server scenario (tests/server/
scenarios/imap-*.scn), driven through check_imap_probe: the engine must
refuse what the scenario says, send no credentials where it forbids them,
show no pre-TLS text, never crash and never hang.  Checks expect-exit,
expect-stderr, forbid-stderr(-bytes), forbid-sent, expect-within, and
forbid-stored(-bytes) over what the probe learnt (its stdout), and
expect-events over the engine events it printed.  A scenario about the
cache rather than the engine says "engine: skip"; "client-timeout: N"
is the probe's timeout too.
Runs under tests/server/with-dovecot (imap_hostile.itest)."""
import os
import re
import subprocess
import sys
import time

SRC = os.environ.get("top_srcdir") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("top_builddir") or "."
PROBE = os.path.join(BUILD, "tests", "integration", "check_imap_probe")
sys.path.insert(0, os.path.join(SRC, "tests", "server"))
import scenario  # noqa: E402


def run_one(path, certs):
    if scenario.load(path).get("engine") == "skip":
        return [], ""
    srv = scenario.Server(path, certs)
    sc = srv.sc
    problems = []
    try:
        env = dict(os.environ, PROBE_TIMEOUT=sc.get("client-timeout", "3"))
        args = [PROBE, os.environ["POSTIE_TEST_NAME"], srv.port, sc.get("client-tls", "implicit"),
                "alice", "pw-alice", os.environ["POSTIE_TEST_CA"]]
        if sc.get("client-pin") == "selfsigned":
            args.append(scenario.selfsigned_fp(certs))
        limit = float(sc.get("expect-within", "60"))
        t0 = time.monotonic()
        try:
            p = subprocess.run(args, capture_output=True, timeout=limit + 5, env=env)
        except subprocess.TimeoutExpired:
            problems.append("probe still running after %.0f s" % (limit + 5))
            return problems, ""
        problems += scenario.check_run(sc, p.returncode, p.stdout, p.stderr, time.monotonic() - t0)
        # What the probe learnt (its stdout) stands for what would be stored.
        problems += scenario.check_stored(sc, p.stdout)
        # Engine events, which only the probe prints ("event\tKIND\t...").
        if "expect-events" in sc and not re.search(sc["expect-events"],
                                                   p.stdout.decode("utf-8", "replace")):
            problems.append("events lack /%s/" % sc["expect-events"])
        sent = srv.sent()
        problems += scenario.check_sent(sc, sent)
        if sc.get("client-tls") == "starttls" and re.search(r"^plain: .*pw-alice", sent, re.M):
            problems.append("sent the password in plaintext")
        return problems, p.stderr.decode("utf-8", "replace")
    finally:
        srv.close(problems)


def main():
    return scenario.run_all(sys.argv[1:] or scenario.scenarios("imap-*.scn"), run_one, "engine")


if __name__ == "__main__":
    sys.exit(main())
