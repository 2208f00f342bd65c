#!/usr/bin/env python3
"""`postie list ACCOUNT PATTERN` over IMAP, against the harness Dovecot.

After `postie sync --bodies`, the bodies' text is in the index: ~b finds
a word in a body and not one only in a subject; plain words find both;
a quoted phrase finds the phrase only ("Person 3", not "Person 39");
flags from the server (\\Flagged, \\Seen) select with ~F and ~U.

Run under tests/server/with-dovecot with $POSTIE.
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sync_imap import FAILED, check, imap  # noqa: E402

POSTIE = os.environ["POSTIE"]
ENV = os.environ


def append(messages):
    m = imap("carol")
    for flags, subject, body in messages:
        m.append("INBOX", flags, None,
                 ("From: Ann <ann@example.org>\r\nTo: carol@example.org\r\n"
                  "Subject: %s\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
                  "\r\n%s\r\n" % (subject, body)).encode())
    m.logout()


def main():
    d = tempfile.mkdtemp(prefix="postie-list-pattern-")
    env = dict(os.environ)
    for k in ("DATA", "STATE", "CACHE", "CONFIG"):
        env["XDG_%s_HOME" % k] = os.path.join(d, k.lower())
    env["TZ"] = "UTC"  # ~d reads dates in the local time zone
    cfg = os.path.join(d, "config")
    with open(cfg, "w") as fp:
        fp.write("[account c]\nprotocol = imap\nhost = %s\nport = %s\n"
                 "tls = implicit\nuser = carol\npassword_command = echo "
                 "pw-carol\nca_file = %s\ntimeout = 10\n" %
                 (ENV["POSTIE_TEST_NAME"], ENV["POSTIE_TEST_IMAPS_PORT"],
                  ENV["POSTIE_TEST_CA"]))
    os.chmod(cfg, 0o600)

    def run(*args):
        p = subprocess.run([POSTIE, "-c", cfg] + list(args), env=env,
                           capture_output=True, timeout=60)
        return (p.returncode, p.stdout.decode("utf-8", "replace"),
                p.stderr.decode("utf-8", "replace"))

    def subjects(pattern):
        rc, out, err = run("list", "c", pattern)
        if rc != 0:
            return "exit %d: %s" % (rc, err.strip())
        return ",".join(sorted(l.split("\t")[4] for l in out.splitlines()))

    try:
        append([("(\\Flagged \\Seen)", "quarterly report",
                 "the budget is attached"),
                ("(\\Seen)", "budget review", "nothing here"),
                ("", "lunch", "Person 3 said hello"),
                ("", "agenda", "Person 39 too")])
        rc, out, err = run("sync", "--bodies", "c")
        check(rc == 0, "sync --bodies (%s)" % err.strip())
        for pattern, want in (
                ("~b budget", "quarterly report"),
                ("~s budget", "budget review"),
                ("budget", "budget review,quarterly report"),
                ("\"Person 3\"", "lunch"),
                ("Person 3", "agenda,lunch"),
                ("~F", "quarterly report"),
                ("~U", "agenda,lunch"),
                ("~b person ~U !~b 39", "lunch"),
                ("~f ann ~d 2026-11-23", "agenda,budget review,lunch,"
                 "quarterly report"),
                ("~b nowhere", "")):
            got = subjects(pattern)
            check(got == want, "list c '%s': %r (want %r)" %
                  (pattern, got, want))
        rc, out, err = run("list", "c", "~b (budget")
        check(rc == 2 and out == "" and "at column" in err,
              "a bad pattern: exit 2 and the column (%d, %r)" % (rc, err))
    finally:
        shutil.rmtree(d, ignore_errors=True)
    if FAILED:
        sys.exit(1)


main()
