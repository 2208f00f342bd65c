#!/usr/bin/env python3
"""SIGKILL at random moments during IMAP syncs, and a damaged index of an
IMAP account, against the harness Dovecot.

alice's INBOX gets a few hundred messages; `postie sync` is SIGKILLed at
random moments, again and again, while the server gains and expunges
messages in between.  Afterwards a plain sync succeeds, `postie list`
shows every server UID of INBOX exactly once, and the database passes
SQLite's integrity check.  Then postie.db is overwritten with junk: the
next sync says so in one sentence, keeps the file aside and fetches the
folder again, each message once.

POSTIE_KILL_SEED picks the moments (printed, so a failure can be replayed).
Run under tests/server/with-dovecot with $POSTIE.
"""
import glob
import imaplib
import os
import random
import signal
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pop3_sync as t  # noqa: E402

ENV = os.environ
POSTIE = ENV["POSTIE"]


class Client:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="postie-faults-imap-")
        self.cfg = os.path.join(self.dir, "config")
        with open(self.cfg, "w") as fp:
            fp.write("[account a]\nprotocol = imap\nhost = %s\nport = %s\n"
                     "tls = implicit\nuser = alice\npassword_command = "
                     "echo pw-alice\nca_file = %s\n" %
                     (ENV["POSTIE_TEST_NAME"], ENV["POSTIE_TEST_IMAPS_PORT"],
                      ENV["POSTIE_TEST_CA"]))
        os.chmod(self.cfg, 0o600)
        self.env = dict(os.environ)
        for k in ("DATA", "STATE", "CACHE", "CONFIG"):
            self.env["XDG_%s_HOME" % k] = os.path.join(self.dir, k.lower())
        self.db = os.path.join(self.dir, "data", "postie", "postie.db")

    def run(self, *args):
        p = subprocess.run([POSTIE, "-c", self.cfg] + list(args),
                           env=self.env, capture_output=True, timeout=300)
        return (p.returncode, p.stdout.decode("utf-8", "replace"),
                p.stderr.decode("utf-8", "replace"))

    def uids(self):
        """INBOX UIDs as `postie list` shows them (duplicates kept)."""
        rc, out, err = self.run("list", "a")
        if rc != 0:
            return None
        return sorted(int(l.split("\t", 1)[0]) for l in out.split("\n")
                      if l)


def imap():
    ctx = ssl.create_default_context(cafile=ENV["POSTIE_TEST_CA"])
    m = imaplib.IMAP4_SSL(ENV["POSTIE_TEST_HOST"],
                          int(ENV["POSTIE_TEST_IMAPS_PORT"]),
                          ssl_context=ctx)
    m.login("alice", "pw-alice")
    m.select("INBOX")
    return m


def server_uids():
    m = imap()
    try:
        typ, data = m.uid("SEARCH", "ALL")
        return sorted(int(x) for x in data[0].split())
    finally:
        m.logout()


def expunge_some(rnd, n):
    m = imap()
    try:
        typ, data = m.uid("SEARCH", "ALL")
        uids = data[0].split()
        for u in rnd.sample(uids, min(n, len(uids))):
            m.uid("STORE", u, "+FLAGS.SILENT", "(\\Deleted)")
        m.expunge()
    finally:
        m.logout()


def deliver(rnd, first, n):
    for i in range(first, first + n):
        pad = b"".join(b"padding line %d of message %d\r\n" % (j, i)
                       for j in range(rnd.randrange(1, 200)))
        t.drop("alice", t.message(2000 + i, pad))


def main():
    seed = int(ENV.get("POSTIE_KILL_SEED", str(int(time.time()))))
    print("# seed %d" % seed)
    rnd = random.Random(seed)
    deliver(rnd, 0, 300)
    c = Client()
    runs = kills = 0
    nxt = 300
    # Kill within the time the last completed run took (span starts
    # small), so most runs die somewhere inside; the server changes
    # between runs.
    span = 0.3
    for runs in range(1, 31):
        args = [POSTIE, "-c", c.cfg, "sync"] + (
            ["--bodies"] if runs % 4 == 0 else []) + ["a"]
        start = time.monotonic()
        p = subprocess.Popen(args, env=c.env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        try:
            p.wait(timeout=rnd.uniform(0.0, span))
            span = max(0.05, time.monotonic() - start)
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGKILL)
            p.wait()
            kills += 1
        deliver(rnd, nxt, 10)
        nxt += 10
        if runs % 3 == 0:
            expunge_some(rnd, 5)
    print("# %d runs, %d killed" % (runs, kills))
    t.check(kills > 0, "at least one sync was killed (%d)" % kills)
    rc, out, err = c.run("sync", "a")
    t.check(rc == 0, "after the kills a plain sync succeeds (%s)" %
            err.strip())
    srv = server_uids()
    got = c.uids()
    t.check(got is not None, "the store opens (postie list works)")
    t.check(got == srv, "postie list shows each of the server's %d UIDs "
            "exactly once (%s listed, %s duplicates)" %
            (len(srv), len(got or []),
             len(got or []) - len(set(got or []))))
    try:
        q = sqlite3.connect(c.db)
        ok = q.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        q.close()
    except sqlite3.Error as e:
        print("# %s" % e)
        ok = False
    t.check(ok, "postie.db passes SQLite's integrity check")

    # A damaged index: set aside, fetched again, nothing doubled.
    with open(c.db, "r+b") as fp:
        fp.write(b"\0not a database any more" * 100)
    for f in glob.glob(c.db + "-*"):
        os.unlink(f)
    rc, out, err = c.run("sync", "a")
    lines = [l for l in err.split("\n") if l.strip()]
    print("# %s" % err.strip())
    t.check(rc == 0, "with a damaged index the sync succeeds")
    t.check(len(lines) == 1 and "damaged" in lines[0],
            "one sentence says the index was damaged")
    t.check(len(glob.glob(c.db + ".corrupt-*")) >= 1,
            "the damaged file is kept aside")
    got = c.uids()
    t.check(got == server_uids(), "after the rebuild each server UID is "
            "listed exactly once (%d)" % len(got or []))
    if t.FAILED:
        print("# %d checks failed" % len(t.FAILED))
        return 1
    import shutil
    shutil.rmtree(c.dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
