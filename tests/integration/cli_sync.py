#!/usr/bin/env python3
"""`postie sync` as a script sees it, against the harness Dovecot.

- Every account's result is reported, one line each; the exit status is
  non-zero when any failed.
- `postie sync a a` syncs a once and returns (it used to wait forever for
  a second answer to a merged request).
- It says what it did ("good: 3 new"), nothing with -q.
- A failed sync keeps the time of the last one that worked.

Run under tests/server/with-dovecot with $POSTIE.
"""
import imaplib
import os
import sqlite3
import ssl
import subprocess
import sys
import tempfile

POSTIE = os.environ["POSTIE"]
ENV = os.environ
FAILED = []


def check(cond, what):
    print(("ok - " if cond else "FAIL - ") + what, flush=True)
    if not cond:
        FAILED.append(what)
    return cond


def append(n, tag):
    ctx = ssl.create_default_context(cafile=ENV["POSTIE_TEST_CA"])
    m = imaplib.IMAP4_SSL(ENV["POSTIE_TEST_NAME"],
                          int(ENV["POSTIE_TEST_IMAPS_PORT"]),
                          ssl_context=ctx)
    m.login("bob", "pw-bob")
    for i in range(n):
        m.append("INBOX", None, None,
                 ("From: x@example.org\r\nSubject: %s %d\r\n\r\nhi\r\n" %
                  (tag, i)).encode())
    m.logout()


class Client:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="postie-cli-sync-")
        self.cfg = os.path.join(self.dir, "config")
        self.env = dict(os.environ)
        for k in ("DATA", "STATE", "CACHE", "CONFIG"):
            self.env["XDG_%s_HOME" % k] = os.path.join(self.dir, k.lower())
        self.write("pw-bob")

    def write(self, good_pw):
        acct = ("[account %s]\nprotocol = imap\nhost = %s\nport = %s\n"
                "tls = implicit\nuser = bob\npassword_command = echo %s\n"
                "ca_file = %s\ntimeout = 10\n\n")
        with open(self.cfg, "w") as fp:
            fp.write(acct % ("good", ENV["POSTIE_TEST_NAME"],
                             ENV["POSTIE_TEST_IMAPS_PORT"], good_pw,
                             ENV["POSTIE_TEST_CA"]))
            fp.write(acct % ("bad", ENV["POSTIE_TEST_NAME"],
                             ENV["POSTIE_TEST_IMAPS_PORT"], "wrong",
                             ENV["POSTIE_TEST_CA"]))
        os.chmod(self.cfg, 0o600)

    def run(self, *args):
        try:
            p = subprocess.run([POSTIE, "-c", self.cfg] + list(args),
                               env=self.env, capture_output=True,
                               timeout=60)
        except subprocess.TimeoutExpired:
            return None, "", "timed out after 60 s"
        return (p.returncode, p.stdout.decode("utf-8", "replace"),
                p.stderr.decode("utf-8", "replace"))

    def last_sync(self, name):
        d = sqlite3.connect(os.path.join(self.dir, "data", "postie",
                                         "postie.db"))
        row = d.execute("SELECT last_sync, last_error FROM accounts WHERE "
                        "name = ?", (name,)).fetchone()
        d.close()
        return row


def main():
    append(3, "first")
    c = Client()

    rc, out, err = c.run("sync", "good", "good")
    check(rc == 0, "sync good good returns 0 (%s, %s)" % (rc, err.strip()))
    lines = out.splitlines()
    check(len(lines) == 1 and lines[0].startswith("good: "),
          "one line for the account named twice: %r" % out)
    check("new" in out, "the first sync says what is new: %r" % out)

    rc, out, err = c.run("sync")
    check(rc == 1, "sync of all exits 1 when one account fails (%s)" % rc)
    check(out.splitlines() == ["good: up to date"],
          "the good account's line on stdout: %r" % out)
    errl = [l for l in err.splitlines() if l.strip()]
    check(len(errl) == 1 and "bad:" in errl[0],
          "the bad account's one line on stderr: %r" % err)

    rc, out, err = c.run("sync", "bad", "good")
    check(rc == 1 and "good: up to date" in out and "bad:" in err,
          "each account is reported whatever the order: %r %r" % (out, err))

    append(2, "second")
    rc, out, err = c.run("sync", "good")
    check(rc == 0 and out.strip() == "good: 2 new",
          "the next sync counts what arrived: %r" % out)

    rc, out, err = c.run("sync", "-q", "good")
    check(rc == 0 and out == "" and err == "",
          "-q says nothing on success: %r %r" % (out, err))

    before = c.last_sync("good")
    check(before is not None and before[0] > 0,
          "a successful sync is recorded (%s)" % (before,))
    c.write("now-wrong")
    rc, out, err = c.run("sync", "good")
    check(rc == 1 and "good:" in err, "a failing sync says so: %r" % err)
    after = c.last_sync("good")
    check(after is not None and after[0] == before[0],
          "the failure keeps the last successful time (%s, was %s)" %
          (after, before))
    check(after is not None and after[1],
          "and records the failure beside it (%s)" % (after,))

    if FAILED:
        print("%d checks failed" % len(FAILED))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
