#!/usr/bin/env python3
"""Faults during POP3 delete-mode downloads, real Dovecot.

1. A full disk: RLIMIT_FSIZE (write() fails with EFBIG; SIGXFSZ ignored
   by the wrapper, or left at its default for postie to ignore) and, where mounting works (root), a tmpfs of 1 MiB.
2. A read-only Maildir: a read-only bind mount as root, chmod otherwise.
3. A damaged postie.db (junk, truncated): `postie list` says so in one
   sentence, the file is kept aside, the index is rebuilt from the Maildir
   and the next delete-mode sync downloads only what is new; in keep mode
   too when the download records could be read back (truncated file).

After each failure: exit status non-zero, one line naming the problem,
every message not safely in the Maildir is still on the server (counted
with poplib over TLS), nothing partial in new/ or cur/.  Run under
tests/server/with-dovecot with $POSTIE.
"""
import glob
import os
import poplib
import re
import resource
import signal
import ssl
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pop3_sync as t  # noqa: E402

SKIPPED = []  # parts that could not run here, and why

ENV = os.environ
USER = "bob"
MSGID = re.compile(rb"^Message-ID:\s*(<[^>]*>)", re.I | re.M)


def msgid(data):
    m = MSGID.search(data)
    return m.group(1) if m else None


def server_ids():
    """Message-IDs on the server, read with POP3 over TLS."""
    ctx = ssl.create_default_context(cafile=ENV["POSTIE_TEST_CA"])
    p = poplib.POP3_SSL(ENV["POSTIE_TEST_HOST"],
                        int(ENV["POSTIE_TEST_POP3S_PORT"]), context=ctx,
                        timeout=30)
    try:
        p.user(USER)
        p.pass_("pw-" + USER)
        n = len(p.list()[1])
        ids = []
        for i in range(1, n + 1):
            ids.append(msgid(b"\n".join(p.top(i, 0)[1])))
    finally:
        p.quit()
    return sorted(ids)


def run(c, args, preexec=None, user=None):
    cmd = [t.POSTIE, "-c", c.cfg] + args
    if user:
        cmd = ["setpriv", "--reuid=" + user, "--regid=" + user,
               "--clear-groups"] + cmd
    p = subprocess.run(cmd, env=c.env, capture_output=True, timeout=120,
                       preexec_fn=preexec)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


def one_line(err):
    lines = [l for l in err.split("\n") if l.strip()]
    return len(lines) == 1, (lines[0] if lines else "")


def check_safe(label, c, sent):
    """sent: {msgid: normalised bytes}.  Local files complete, each
    message either in the Maildir or still on the server."""
    local = {}
    partial = []
    for f in c.files():
        with open(f, "rb") as fp:
            data = fp.read()
        i = msgid(data)
        if i not in sent or sent[i] != data:
            partial.append(os.path.basename(f))
        local[i] = data
    t.check(partial == [], "%s: nothing partial in new/ or cur/ (%s)" %
            (label, partial[:3]))
    tmp = os.path.join(c.maildir(), "tmp")
    left = os.listdir(tmp) if os.path.isdir(tmp) else []
    t.check(left == [], "%s: nothing left in tmp/ (%s)" % (label, left[:3]))
    srv = server_ids()
    missing = [i for i in sent if i not in local and i not in srv]
    t.check(missing == [], "%s: every message is on disk or still on the "
            "server (%d local, %d on the server, %d lost)" %
            (label, len(local), len(srv), len(missing)))
    return local, srv


def fill(n, big=None):
    """Puts one message of big bytes (first) and n small ones on the
    server: a failure on the big one leaves the small ones to come."""
    t.clear(USER)
    sent = {}
    if big:
        pad = b"x" * 76 + b"\r\n"
        data = t.message(900, pad * (big // len(pad)))
        t.drop(USER, data)
        sent[msgid(data)] = t.norm(data)
    for i in range(n):
        data = t.message(500 + i)
        t.drop(USER, data)
        sent[msgid(data)] = t.norm(data)
    return sent


def full_disk_rlimit(ignore):
    """ignore: the wrapper ignores SIGXFSZ; else postie must do it."""
    label = "RLIMIT_FSIZE (SIGXFSZ %s)" % ("ignored" if ignore else
                                            "default")
    c = t.Client("full", USER, "implicit", False)
    t.clear(USER)
    rc, err = c.sync()          # creates the db and the Maildir
    t.check(rc == 0, "%s: an empty first sync works (%s)" % (label, err))
    sent = fill(10, big=600 * 1024)
    limit = 256 * 1024

    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN if ignore
                      else signal.SIG_DFL)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    rc, out, err = run(c, ["sync", "full"], preexec=limited)
    single, line = one_line(err)
    print("# %s: rc %d: %s" % (label, rc, err.strip()))
    t.check(rc != 0, "%s: the sync fails" % label)
    t.check(single and re.search(r"too large|no space|disk|full", line,
                                 re.I) is not None,
            "%s: one line naming the problem (%r)" % (label, line))
    local, srv = check_safe(label, c, sent)
    t.check(msgid(t.message(900)) not in local,
            "%s: the big message is not in the Maildir" % label)
    rc, err = c.sync()
    t.check(rc == 0, "%s: without the limit the sync succeeds (%s)" %
            (label, err.strip()))
    got = [msgid(m) for m in c.messages()]
    t.check(sorted(got) == sorted(sent),
            "%s: then every message is in the Maildir exactly once "
            "(%d of %d)" % (label, len(got), len(sent)))
    t.check(server_ids() == [], "%s: and the server is empty" % label)
    c.cleanup()


def full_disk_tmpfs():
    label = "tmpfs"
    c = t.Client("tiny", USER, "implicit", False)
    data = os.path.join(c.dir, "data")
    os.makedirs(data, exist_ok=True)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs",
                       data], capture_output=True).returncode != 0:
        SKIPPED.append("%s: cannot mount a tmpfs here" % label)
        c.cleanup()
        return
    try:
        t.clear(USER)
        rc, err = c.sync()
        t.check(rc == 0, "%s: an empty first sync works (%s)" %
                (label, err))
        sent = fill(4, big=1536 * 1024)
        rc, out, err = run(c, ["sync", "tiny"])
        single, line = one_line(err)
        print("# %s: rc %d: %s" % (label, rc, err.strip()))
        t.check(rc != 0, "%s: the sync fails" % label)
        t.check(single and re.search(r"no space|disk|full", line, re.I)
                is not None,
                "%s: one line naming the problem (%r)" % (label, line))
        check_safe(label, c, sent)
        rc, out, err = run(c, ["list", "tiny"])
        t.check(rc == 0, "%s: the store still opens (%s)" % (label, err))
    finally:
        subprocess.run(["umount", data])
    c.cleanup()


def read_only():
    label = "read-only Maildir"
    c = t.Client("ro", USER, "implicit", False)
    first = fill(2)
    rc, err = c.sync()
    t.check(rc == 0, "%s: the first sync works (%s)" % (label, err))
    sent = dict(first)
    for i in range(3):
        data = t.message(700 + i)
        t.drop(USER, data)
        sent[msgid(data)] = t.norm(data)
    md = c.maildir()
    mounted = False
    if os.geteuid() == 0:
        if subprocess.run(["mount", "--bind", md, md]).returncode == 0:
            mounted = True
            if subprocess.run(["mount", "-o", "remount,ro,bind", md]
                              ).returncode != 0:
                subprocess.run(["umount", md])
                mounted = False
        if not mounted:
            SKIPPED.append("%s: cannot bind-mount (root ignores "
                           "modes)" % label)
            c.cleanup()
            return
    else:
        for sub in ("tmp", "new", "cur"):
            os.chmod(os.path.join(md, sub), 0o500)
    try:
        rc, out, err = run(c, ["sync", "ro"])
        single, line = one_line(err)
        print("# %s: rc %d: %s" % (label, rc, err.strip()))
        t.check(rc != 0, "%s: the sync fails" % label)
        t.check(single and re.search(r"read-only|permission", line, re.I)
                is not None,
                "%s: one line naming the problem (%r)" % (label, line))
        local, srv = check_safe(label, c, sent)
        t.check(len(srv) == 3, "%s: the server keeps the 3 new messages "
                "(%d)" % (label, len(srv)))
    finally:
        if mounted:
            subprocess.run(["umount", md])
        else:
            for sub in ("tmp", "new", "cur"):
                os.chmod(os.path.join(md, sub), 0o700)
    rc, err = c.sync()
    got = sorted(msgid(m) for m in c.messages())
    t.check(rc == 0 and got == sorted(sent),
            "%s: writable again, the sync gets the rest, each once (%d)" %
            (label, len(got)))
    c.cleanup()


def damaged_db(how, keep=False):
    label = "damaged db (%s, %s mode)" % (how, "keep" if keep else "delete")
    c = t.Client("dmg", USER, "implicit", keep)
    sent = fill(30)
    rc, err = c.sync()
    t.check(rc == 0 and len(c.files()) == 30, "%s: 30 messages synced "
            "(%s)" % (label, err.strip()))
    dbp = os.path.join(c.dir, "data", "postie", "postie.db")
    t.check(not os.path.exists(dbp + "-wal") or
            os.path.getsize(dbp + "-wal") == 0,
            "%s: postie left the db checkpointed" % label)
    size = os.path.getsize(dbp)
    if how == "junk":
        with open(dbp, "r+b") as fp:
            fp.write(b"\0junk" * 200)
    else:
        os.truncate(dbp, size // 2)
    with open(dbp, "rb") as fp:
        damaged = fp.read()
    rc, out, err = run(c, ["list", "dmg"])
    single, line = one_line(err)
    print("# %s: %s" % (label, err.strip()))
    t.check(rc == 0, "%s: postie list works" % label)
    t.check(single and "damaged" in line and "corrupt-" in line,
            "%s: one sentence says the index was damaged and set aside" %
            label)
    aside = [f for f in glob.glob(dbp + ".corrupt-*")
             if not f.endswith(("-wal", "-shm", "-journal"))]
    kept = False
    if len(aside) == 1:
        with open(aside[0], "rb") as fp:
            kept = fp.read() == damaged
    t.check(kept, "%s: the damaged file is kept, byte for byte" % label)
    t.check(len([l for l in out.split("\n") if l]) == 30,
            "%s: the rebuilt index lists the 30 messages" % label)
    rc, out, err = run(c, ["list", "dmg"])
    t.check(rc == 0 and err.strip() == "",
            "%s: the next open says nothing (%s)" % (label, err.strip()))
    data = t.message(800)
    t.drop(USER, data)
    sent[msgid(data)] = t.norm(data)
    rc, err = c.sync()
    got = sorted(msgid(m) for m in c.messages())
    t.check(rc == 0 and got == sorted(sent),
            "%s: the next sync adds only the new one (%d)" %
            (label, len(got)))
    c.cleanup()


def main():
    full_disk_rlimit(True)
    full_disk_rlimit(False)
    full_disk_tmpfs()
    read_only()
    damaged_db("junk")
    damaged_db("truncated")
    # The download records still readable are carried over: keep mode
    # does not download the 30 again.
    damaged_db("truncated", keep=True)
    for why in SKIPPED:
        print("# SKIP: %s" % why)
    if t.FAILED:
        print("# %d checks failed" % len(t.FAILED))
        return 1
    # 77: automake reports SKIP, so a part that did not run is not
    # counted as a pass.
    return 77 if SKIPPED else 0


if __name__ == "__main__":
    sys.exit(main())
