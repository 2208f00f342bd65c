#!/usr/bin/env python3
"""Runs postie against each hostile-server scenario and checks what it did.

hostile_run.py [SCENARIO...]   (default: tests/server/scenarios/*.scn)

Needs the harness environment (run under tests/server/with-dovecot) and
$POSTIE.  For each scenario: start tests/server/hostile.py, write a config
whose account "evil" points at it, run `postie sync evil` (bounded in
time), then every other CLI command that reads rather than sends
(folders, list of each folder by the name `folders` printed, accounts,
check-config, outbox, view of each stored message and of a hostile one), and check the scenario's expectations:

  expect-exit: ok | fail          status of `postie sync`
  expect-stderr: REGEX            must match what sync printed on stderr
  forbid-stderr: REGEX            must not match it
  forbid-stderr-bytes: REGEX      bytes regex over sync's stdout + stderr
  forbid-sent: REGEX              must not match the transcript of what
                                  postie sent ("plain: LINE" / "tls: LINE")
  expect-stored: REGEX            must match `postie list` + `folders`
  forbid-stored: REGEX            must not match them (nor the Maildir)
  forbid-stored-bytes: REGEX      bytes regex over the same
  expect-stored-bytes: REGEX      must match them (e.g. a message's raw
                                  UTF-8, byte for byte)
  expect-no-file-outside: yes     no file named like the attack anywhere
                                  outside postie's own folders
  expect-within: SECONDS          sync must end within (default 60)
  expect-sync-stderr: REGEX       like expect-stderr, for `postie sync`
                                  only (the engine probe prints other
                                  words)
  expect-sent: REGEX              must match the transcript (only here:
                                  the engine's own runner sends less)
  expect-sent-count: N REGEX      exactly N lines of the transcript match
  expect-folders: N               `postie folders` prints N records
  expect-max-vm-mb: MB            sync may not reserve more memory than
                                  that, even untouched (RLIMIT_AS; under
                                  ASan its max_allocation_size_mb)
  expect-max-rss-mb: MB           nor touch more (ru_maxrss)

Settings of the run:

  client-timeout: SECONDS         the account's timeout (default 3)
  client-apop: yes                apop = yes (POP3)
  sync-args: ARGS                 more arguments of `postie sync`
  client-helper: ARGS             then run tests/integration/
                                  check_sync_imap_ops CONFIG evil ARGS
                                  (another connection): it must exit 0
  expect-db: SQL => REGEX         the one value SQL reads from postie.db
                                  (after everything) must match REGEX
  sync-runs: N                    run `postie sync` N times, one after the
                                  other (the scenario then says
                                  "connections: N"); each run is checked

Whatever the scenario, no command may print ESC, BEL, a C1 control (as
UTF-8 or as a bare byte), another C0 control but TAB and LF, a bidi
control or a byte that is not UTF-8, on stdout or stderr (sync runs with its stdout on a terminal, so that its progress
lines are shown: their own "\r ESC [K" is the only escape allowed there);
every record of `folders` has exactly 3 fields and `list` 5; and every
folder `folders` printed can be listed by the name it printed (the first
and last LIST_SAMPLE of them when there are more).

Whatever the scenario, postie must not crash (no signal, no sanitizer
report) and must not hang.
"""
import glob
import os
import pty
import re
import resource
import select
import sqlite3
import subprocess
import sys
import time

SRC = os.environ.get("top_srcdir") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(SRC, "tests", "server"))
import scenario  # noqa: E402

POSTIE = os.environ["POSTIE"]

# Folders listed one by one at each end of a long `folders` output (a
# scenario may hold 100,000: one `postie list` each would take hours).
LIST_SAMPLE = 100

# What no CLI output may hold, over its text read as UTF-8 (a byte that is
# not UTF-8 stands as U+DC80 + byte): C0 but TAB and LF, DEL, C1 as UTF-8
# (U+0080..U+009F), any byte that is not UTF-8 (a bare C1 0x80..0x9F
# among them), bidi controls.  Sync's own progress line starts with
# "\r ESC [K"; that is taken out first (and only on the terminal side).
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\udc80-\udcff"
                       "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
HOSTILE_MSG = (b"From: \x1b]52;c;cHduZWQ=\x07Mallory <m@example.org>\r\n"
               b"Subject: \x1b[2J\xc2\x9b2J\x9b2J\x07 x\ty\r\n\r\n"
               b"body \x1b]52;c;cHduZWQ=\x07 \x1b[2J \xc2\x9b2J \x9b2J \x07 cr\rx\r\n")


def forbidden(what, data):
    text = data.decode("utf-8", "surrogateescape")
    m = FORBIDDEN.search(text)
    if m:
        return ["%s printed control %r near %r" % (what, m.group(0),
                                                  text[max(0, m.start() - 20):m.end() + 20])]
    return []


def asan():
    """Whether postie was built with AddressSanitizer (which reserves
    terabytes of address space: RLIMIT_AS cannot be used)."""
    with open(POSTIE, "rb") as f:
        return b"__asan_init" in f.read()


def sync_on_tty(argv, env, timeout, preexec=None):
    """Runs argv with stdout on a pseudo-terminal (stderr a pipe); returns
    (status, stdout bytes, stderr bytes, peak RSS in KiB) or None after
    timeout."""
    master, slave = pty.openpty()
    p = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE,
                         preexec_fn=preexec)
    os.close(slave)
    out = b""
    t_end = time.monotonic() + timeout
    while True:
        left = t_end - time.monotonic()
        if left <= 0:
            p.kill()
            p.wait()
            os.close(master)
            p.stderr.close()
            return None
        r, _, _ = select.select([master], [], [], min(left, 0.5))
        if r:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                chunk = b""
            if not chunk:
                break
            out += chunk
        elif p.poll() is not None:
            break
    err = p.stderr.read()
    p.stderr.close()
    _, status, ru = os.wait4(p.pid, 0)  # the child's own peak RSS
    p.returncode = os.waitstatus_to_exitcode(status)
    os.close(master)
    return p.returncode, out, err, ru.ru_maxrss


def other_commands(sc, cfg, penv, home):
    """Every CLI command but sync, after it; returns (problems, what
    folders and list printed)."""
    problems, stored = [], b""

    def run(cmd):
        q = subprocess.run([POSTIE, "-c", cfg] + cmd, env=penv, capture_output=True, timeout=30)
        if q.returncode < 0 or b"Sanitizer" in q.stderr or b"runtime error" in q.stderr:
            problems.append("postie %s crashed" % " ".join(cmd))
        problems.extend(forbidden("postie %s" % cmd[0], q.stdout + q.stderr))
        return q

    q = run(["folders", "evil"])
    stored += q.stdout
    names = []
    for line in q.stdout.split(b"\n")[:-1]:
        fields = line.split(b"\t")
        if len(fields) != 3:
            problems.append("folders printed a record of %d fields: %r" % (len(fields), line))
            continue
        names.append(fields[0])
    if q.returncode == 0 and not q.stdout.endswith(b"\n") and q.stdout:
        problems.append("folders output does not end with a newline")
    want = sc.get("expect-folders")
    if want is not None and q.returncode == 0 and len(q.stdout.split(b"\n")) - 1 != int(want):
        problems.append("folders printed %d records, not %s" % (len(q.stdout.split(b"\n")) - 1, want))
    if len(names) > 2 * LIST_SAMPLE:
        names = names[:LIST_SAMPLE] + names[-LIST_SAMPLE:]
    for name in names or [b"INBOX"]:
        q = run(["list", b"evil/" + name])
        stored += q.stdout
        if names and q.returncode != 0:
            problems.append("the folder folders printed as %r cannot be listed: %r" % (name, q.stderr))
        for line in q.stdout.split(b"\n")[:-1]:
            if len(line.split(b"\t")) != 5:
                problems.append("list printed a record of %d fields: %r" % (len(line.split(b"\t")), line))
    run(["accounts"])
    run(["check-config"])
    run(["outbox"])
    hostile = os.path.join(home, "hostile.eml")
    with open(hostile, "wb") as f:
        f.write(HOSTILE_MSG)
    views = [hostile]
    for top in ("data", "cache"):
        for root, _, files in os.walk(os.path.join(home, top)):
            views += [os.path.join(root, fn) for fn in files
                      if not fn.endswith((".db", "-wal", "-shm", ".checked"))]
    for v in views[:20]:
        run(["view", v])
    return problems, stored


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
                    "password_command = echo %s\nca_file = %s\ntimeout = %s\n" % (
                        proto, os.environ["POSTIE_TEST_NAME"], srv.port, sc.get("client-tls", "implicit"),
                        user, pw, os.environ["POSTIE_TEST_CA"], sc.get("client-timeout", "3")))
            if sc.get("client-apop") == "yes":
                f.write("apop = yes\n")
            if sc.get("client-pin") == "selfsigned":
                f.write("tls_fingerprint = sha256:%s\n" % scenario.selfsigned_fp(certs))
            if proto == "pop3":
                f.write("keep_on_server = no\n")
        os.chmod(cfg, 0o600)
        limit = float(sc.get("expect-within", "60"))
        preexec = None
        if "expect-max-vm-mb" in sc:
            mb = int(sc["expect-max-vm-mb"])
            if asan():
                penv["ASAN_OPTIONS"] = (penv.get("ASAN_OPTIONS", "") + ":max_allocation_size_mb=%d" % mb).lstrip(":")
            else:
                def preexec():
                    resource.setrlimit(resource.RLIMIT_AS, (mb << 20, mb << 20))
        for _ in range(int(sc.get("sync-runs", "1"))):
            t0 = time.monotonic()
            got = sync_on_tty([POSTIE, "-c", cfg, "sync", "evil"] + sc.get("sync-args", "").split(), penv,
                              limit + 5, preexec)
            if got is None:
                problems.append("postie sync still running after %.0f s" % (limit + 5))
                return problems, ""
            status, out, err, maxrss_kb = got
            if "expect-max-rss-mb" in sc and maxrss_kb > int(sc["expect-max-rss-mb"]) * 1024:
                problems.append("used %d MiB of memory, more than %s" % (maxrss_kb // 1024,
                                                                         sc["expect-max-rss-mb"]))
            # sync's own progress line erasure is the one escape it may print
            # (and only on a terminal); the scenario's checks see the rest.
            out = out.replace(b"\r\x1b[K", b"\r")
            problems += scenario.check_run(sc, status, out, err, time.monotonic() - t0)
            if "expect-sync-stderr" in sc and not re.search(
                    sc["expect-sync-stderr"], err.decode("utf-8", "replace")):
                problems.append("stderr lacks /%s/" % sc["expect-sync-stderr"])
            problems += forbidden("postie sync", out.replace(b"\r\n", b"\n").replace(b"\r", b"\n") + err)
        if "client-helper" in sc:
            helper = os.path.join(os.environ.get("top_builddir", "."), "tests", "integration",
                                  "check_sync_imap_ops")
            q = subprocess.run([helper, cfg, "evil"] + sc["client-helper"].split(), env=penv,
                               capture_output=True, timeout=limit + 60)
            said = (q.stdout + q.stderr).decode("utf-8", "replace")
            if q.returncode != 0 or "Sanitizer" in said or "runtime error" in said:
                problems.append("check_sync_imap_ops %s failed: %s" % (sc["client-helper"],
                                                                       said.strip().replace("\n", " | ")[:300]))
        sent = srv.sent()
        if "expect-sent-count" in sc:
            want, _, rx = sc["expect-sent-count"].partition(" ")
            n = len(re.findall(rx, sent, re.M))
            if n != int(want):
                problems.append("sent /%s/ %d times, not %s" % (rx, n, want))
        problems += scenario.check_sent(sc, sent)
        if "expect-sent" in sc and not re.search(sc["expect-sent"], sent, re.M):
            problems.append("never sent /%s/" % sc["expect-sent"])
        more, stored = other_commands(sc, cfg, penv, home)
        problems += more
        for root, _, files in os.walk(os.path.join(home, "data")):
            for fn in files:
                if not fn.endswith((".db", "-wal", "-shm")):
                    with open(os.path.join(root, fn), "rb") as fh:
                        stored += fh.read()
        problems += scenario.check_stored(sc, stored)
        if "expect-db" in sc:
            sql, _, rx = sc["expect-db"].partition(" => ")
            d = sqlite3.connect(os.path.join(penv["XDG_DATA_HOME"], "postie", "postie.db"))
            got = str(d.execute(sql).fetchone()[0])
            d.close()
            if not re.search(rx, got):
                problems.append("postie.db: %s gave %r, not /%s/" % (sql, got, rx))
        if sc.get("expect-no-file-outside") == "yes":
            if os.path.exists("/tmp/pwned") or glob.glob(os.path.join(srv.work, "**", "pwned*"), recursive=True):
                problems.append("a file named by the server was created outside postie's folders")
            for root, dirs, files in os.walk(home):
                for n in dirs + files:
                    full = os.path.realpath(os.path.join(root, n))
                    if not full.startswith(os.path.realpath(home)):
                        problems.append("path escapes the data folder: %s" % full)
        return problems, err.decode("utf-8", "replace")
    finally:
        srv.close(problems)


def main():
    return scenario.run_all(sys.argv[1:] or scenario.scenarios("*.scn"), run_one, "postie")


if __name__ == "__main__":
    sys.exit(main())
