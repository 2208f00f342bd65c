#!/usr/bin/env python3
"""Quit while a sync applies a huge VANISHED (tests/server/scenarios/
quit-vanished.scn): check_sync_quit starts the sync against the scripted
server, waits for the header fill to complete, and times cache_close()
(what `Q` does), which must return within QUIT_BOUND_MS while the sync is
still running.  Runs under tests/server/with-dovecot (sync_quit.itest)."""
import os
import subprocess
import sys

SRC = os.environ.get("top_srcdir") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("top_builddir") or "."
PROG = os.path.join(BUILD, "tests", "integration", "check_sync_quit")
sys.path.insert(0, os.path.join(SRC, "tests", "server"))
import scenario  # noqa: E402

# "About a second", generously: a loaded CI machine under ASan.
QUIT_BOUND_MS = 3000


def run_one(path, certs):
    srv = scenario.Server(path, certs)
    problems = []
    said = ""
    try:
        home = os.path.join(srv.work, "home")
        env = dict(os.environ)
        for k, d in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
            env[k] = os.path.join(home, d)
        os.makedirs(env["XDG_CONFIG_HOME"])
        cfg = os.path.join(env["XDG_CONFIG_HOME"], "config")
        with open(cfg, "w") as f:
            f.write("[account evil]\nprotocol = imap\nhost = %s\nport = %s\ntls = implicit\nuser = alice\n"
                    "password_command = echo pw-alice\nca_file = %s\ntimeout = 30\n" % (
                        os.environ["POSTIE_TEST_NAME"], srv.port, os.environ["POSTIE_TEST_CA"]))
        os.chmod(cfg, 0o600)
        limit = float(srv.sc.get("expect-within", "60"))
        try:
            p = subprocess.run([PROG, cfg, "evil", "100001", "100", str(QUIT_BOUND_MS)], env=env,
                               capture_output=True, timeout=limit)
        except subprocess.TimeoutExpired:
            problems.append("quit did not return within %.0f s" % limit)
            return problems, ""
        said = p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")
        sys.stdout.write(p.stdout.decode("utf-8", "replace"))
        if p.returncode != 0:
            problems.append("status %d" % p.returncode)
        return problems, said
    finally:
        srv.close(problems)


def main():
    return scenario.run_all(scenario.scenarios("quit-*.scn"), run_one, "check_sync_quit")


if __name__ == "__main__":
    sys.exit(main())
