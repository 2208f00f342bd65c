#!/usr/bin/env python3
"""Several postie processes on one index at once, against the harness
Dovecot.

A reader (`postie -a w -f INBOX` on a pseudo-terminal) stays open and
flags messages one by one, each a queued change.  Meanwhile CLI commands
(`folders`, `list`, `accounts`, `sync`) run in a loop, several at a time,
for POSTIE_MULTIPROC_SECONDS (default 60).  Checked throughout and at
the end:
- no process ever says "malformed" (or any other SQLite damage);
- the index's WAL is there whenever the reader is (another process's
  close must never take it while the reader holds the index);
- every CLI command succeeds;
- PRAGMA integrity_check says ok;
- every change the reader queued reached the server: no change is lost.

Run under tests/server/with-dovecot with $POSTIE.
"""
import fcntl
import imaplib
import os
import pty
import random
import re
import select
import signal
import sqlite3
import ssl
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time

POSTIE = os.environ["POSTIE"]
ENV = os.environ
SECONDS = float(ENV.get("POSTIE_MULTIPROC_SECONDS", "60"))
FAILED = []
DAMAGE = re.compile(r"malformed|disk image|not a database|database corrupt|"
                    r"SQLITE_CORRUPT|runtime error|Sanitizer", re.I)


def check(cond, what):
    print(("ok - " if cond else "FAIL - ") + what, flush=True)
    if not cond:
        FAILED.append(what)
    return cond


def imap():
    ctx = ssl.create_default_context(cafile=ENV["POSTIE_TEST_CA"])
    m = imaplib.IMAP4_SSL(ENV["POSTIE_TEST_NAME"],
                          int(ENV["POSTIE_TEST_IMAPS_PORT"]),
                          ssl_context=ctx)
    m.login("alice", "pw-alice")
    return m


def seed(n):
    m = imap()
    for i in range(n):
        msg = ("From: Sender %d <s%d@example.org>\r\nTo: alice@example.org"
               "\r\nSubject: stress %03d\r\nDate: Tue, 3 Jan 2023 10:%02d:00"
               " +0000\r\nMessage-ID: <stress%d@example.org>\r\n\r\n"
               "Body %d.\r\n" % (i, i, i, i % 60, i, i))
        m.append("INBOX", None, None, msg.encode())
    # The harness's own sample mail has a flagged message: start clean,
    # so that every flag on the server is one the reader set.
    m.select("INBOX")
    m.uid("STORE", "1:*", "-FLAGS.SILENT", "(\\Flagged)")
    m.logout()


def server_flagged():
    m = imap()
    m.select("INBOX", readonly=True)
    typ, data = m.uid("SEARCH", None, "FLAGGED")
    m.logout()
    return len(data[0].split()) if data and data[0] else 0


class Setup:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="postie-multiproc-")
        self.cfg = os.path.join(self.dir, "config")
        with open(self.cfg, "w") as fp:
            fp.write("[account w]\nprotocol = imap\nhost = %s\nport = %s\n"
                     "tls = implicit\nuser = alice\npassword_command = echo "
                     "pw-alice\nca_file = %s\n" %
                     (ENV["POSTIE_TEST_NAME"], ENV["POSTIE_TEST_IMAPS_PORT"],
                      ENV["POSTIE_TEST_CA"]))
        os.chmod(self.cfg, 0o600)
        self.env = dict(os.environ)
        for k in ("DATA", "STATE", "CACHE", "CONFIG"):
            self.env["XDG_%s_HOME" % k] = os.path.join(self.dir, k.lower())
        self.env.update(TERM="xterm-256color", LANG="C.UTF-8",
                        LC_ALL="C.UTF-8")
        self.env.pop("NO_COLOR", None)
        self.db = os.path.join(self.dir, "data", "postie", "postie.db")

    def run(self, *args, timeout=120):
        p = subprocess.run([POSTIE, "-c", self.cfg] + list(args),
                           env=self.env, capture_output=True,
                           timeout=timeout)
        return (p.returncode, p.stdout.decode("utf-8", "replace"),
                p.stderr.decode("utf-8", "replace"))


class Reader:
    """postie on a pseudo-terminal; everything it draws is kept."""

    def __init__(self, s):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ,
                        struct.pack("HHHH", 40, 120, 0, 0))
            os.execve(POSTIE, [POSTIE, "-c", s.cfg, "-a", "w", "-f",
                               "INBOX"], s.env)
        self.out = bytearray()
        self.lock = threading.Lock()
        self.done = False
        self.t = threading.Thread(target=self.drain, daemon=True)
        self.t.start()

    def drain(self):
        while True:
            try:
                r, _, _ = select.select([self.fd], [], [], 0.2)
                if r:
                    data = os.read(self.fd, 65536)
                    if not data:
                        break
                    with self.lock:
                        self.out += data
            except OSError:
                break
        self.done = True

    def text(self):
        with self.lock:
            return self.out.decode("utf-8", "replace")

    def send(self, keys):
        os.write(self.fd, keys.encode())

    def wait_for(self, what, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            if what in self.text():
                return True
            time.sleep(0.05)
        return False

    def alive(self):
        pid, _ = os.waitpid(self.pid, os.WNOHANG)
        return pid == 0

    def quit(self):
        self.send("q")
        end = time.time() + 15
        while time.time() < end:
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(st)
            self.send("q")
            time.sleep(0.2)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        return None


def main():
    n = 150
    seed(n)
    s = Setup()
    rc, out, err = s.run("sync")
    check(rc == 0, "a first sync succeeds (%s)" % err.strip())

    rdr = Reader(s)
    check(rdr.wait_for("stress"), "the reader shows the folder")
    # Let it finish loading so the keys go to the index.
    time.sleep(0.5)

    problems = []
    plock = threading.Lock()
    stop = threading.Event()
    counts = {"runs": 0, "wal_checks": 0}

    def cli_loop(seed_):
        rnd = random.Random(seed_)
        cmds = [("folders", "w"), ("list", "w"), ("accounts",),
                ("sync", "w"), ("sync",), ("list", "w/INBOX")]
        while not stop.is_set():
            args = rnd.choice(cmds)
            rc, out, err = s.run(*args)
            with plock:
                counts["runs"] += 1
                if rc != 0 or DAMAGE.search(err) or DAMAGE.search(out):
                    problems.append("%s: exit %d: %s" %
                                    (" ".join(args), rc, err.strip()[:300]))
                # The reader holds the index: its WAL must be there.
                if rdr.alive():
                    counts["wal_checks"] += 1
                    if not os.path.exists(s.db + "-wal"):
                        problems.append("the WAL was gone after %s while "
                                        "the reader was open" %
                                        " ".join(args))

    threads = [threading.Thread(target=cli_loop, args=(k,))
               for k in range(3)]
    for t in threads:
        t.start()
    flagged = 0
    end = time.time() + SECONDS
    while time.time() < end and flagged < n:
        # Flag the message under the cursor (it starts on the newest, at
        # the bottom), move up to the next one.
        rdr.send("F")
        flagged += 1
        time.sleep(0.05)
        rdr.send("k")
        time.sleep(max(0.05, SECONDS / n / 2))
        if DAMAGE.search(rdr.text()):
            break
    # Keep the CLI going for the rest of the time.
    while time.time() < end and not DAMAGE.search(rdr.text()):
        time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join()
    print("# %d CLI runs, %d WAL checks, %d messages flagged in the reader"
          % (counts["runs"], counts["wal_checks"], flagged))
    check(rdr.alive(), "the reader is still running")
    screen = rdr.text()
    if ENV.get("POSTIE_MULTIPROC_SCREEN"):
        with open(ENV["POSTIE_MULTIPROC_SCREEN"], "w") as fp:
            fp.write(screen)
    mo = DAMAGE.search(screen)
    check(mo is None, "the reader never reported damage (%s)" %
          (screen[max(0, mo.start() - 200):mo.end() + 100] if mo else ""))
    check(not problems, "every CLI run succeeded and the WAL stayed: %s" %
          "; ".join(problems[:5]))
    check(counts["runs"] >= 10, "the CLI ran often (%d)" % counts["runs"])
    code = rdr.quit()
    check(code == 0, "the reader quit cleanly (%s)" % code)

    rc, out, err = s.run("sync")
    check(rc == 0, "a last sync succeeds (%s)" % err.strip())
    d = sqlite3.connect(s.db)
    res = d.execute("PRAGMA integrity_check").fetchall()
    pending = d.execute("SELECT count(*) FROM ops WHERE state = 0"
                        ).fetchone()[0]
    d.close()
    check(res == [("ok",)], "PRAGMA integrity_check: %s" % res)
    check(pending == 0, "no change waits in the queue (%d)" % pending)
    got = server_flagged()
    check(got == flagged, "every flag set in the reader reached the "
          "server: %d of %d" % (got, flagged))
    rc, out, err = s.run("list", "w")
    local = sum(1 for l in out.splitlines() if "F" in l.split("\t")[1])
    check(local == flagged, "postie list shows the %d flags (%d)" %
          (flagged, local))
    if FAILED:
        print("%d checks failed" % len(FAILED))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
