#!/usr/bin/env python3
"""[general] new_mail_command, against the harness Dovecot.

- After a sync that found new mail, it runs once per folder that got
  some, with the account, the folder, the number of new messages and the
  folder's unread count as four arguments of their own: a folder name
  with ; and $(...) reaches it unchanged, and no shell runs it.
- A sync with nothing new runs nothing, nor does the first fill of a
  folder (what was there before postie is not new mail).
- What it prints goes to the log, never to postie's output.

Run under tests/server/with-dovecot with $POSTIE.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sync_imap import FAILED, check, imap  # noqa: E402

POSTIE = os.environ["POSTIE"]
ENV = os.environ
HOSTILE = "x;touch PWNED $(touch PWNED2)"


def append(folder, n, tag):
    m = imap("carol")
    for i in range(n):
        m.append(folder, None, None,
                 ("From: x@example.org\r\nSubject: %s %d\r\n\r\nhi\r\n" %
                  (tag, i)).encode())
    m.logout()


def main():
    d = tempfile.mkdtemp(prefix="postie-new-mail-")
    cwd = os.path.join(d, "cwd")
    os.mkdir(cwd)
    rec = os.path.join(d, "calls")
    hook = os.path.join(d, "hook")
    with open(hook, "w") as fp:
        fp.write("#!/bin/sh\nprintf '%%s|' \"$@\" >>'%s'\necho >>'%s'\n"
                 "echo hook-out\necho hook-err >&2\n" % (rec, rec))
    os.chmod(hook, 0o755)
    cfg = os.path.join(d, "config")
    with open(cfg, "w") as fp:
        fp.write("[general]\nnew_mail_command = %s --flag\n\n"
                 "[account good]\nprotocol = imap\nhost = %s\nport = %s\n"
                 "tls = implicit\nuser = carol\n"
                 "password_command = echo pw-carol\nca_file = %s\n"
                 "timeout = 10\n" % (hook, ENV["POSTIE_TEST_NAME"],
                                     ENV["POSTIE_TEST_IMAPS_PORT"],
                                     ENV["POSTIE_TEST_CA"]))
    os.chmod(cfg, 0o600)
    env = dict(os.environ)
    for k in ("DATA", "STATE", "CACHE", "CONFIG"):
        env["XDG_%s_HOME" % k] = os.path.join(d, k.lower())

    def sync():
        p = subprocess.run([POSTIE, "-c", cfg, "sync"], env=env, cwd=cwd,
                           capture_output=True, timeout=60)
        out = (p.stdout + p.stderr).decode("utf-8", "replace")
        check(p.returncode == 0, "postie sync exits 0 (%r)" % out)
        check("hook-" not in out, "the hook's output is not in postie's")
        return out

    def calls():
        if not os.path.exists(rec):
            return []
        with open(rec) as fp:
            lines = fp.read().splitlines()
        os.unlink(rec)
        return sorted(lines)

    m = imap("carol")
    m.create('"%s"' % HOSTILE)
    m.logout()
    append("INBOX", 2, "first")
    sync()
    got = calls()
    check(got == [], "a folder's first fill is not new mail: %r" % got)

    append("INBOX", 1, "second")
    append('"%s"' % HOSTILE, 1, "odd")
    sync()
    got = calls()
    check(got == sorted(["--flag|good|INBOX|1|3|",
                         "--flag|good|%s|1|1|" % HOSTILE]),
          "one run per folder with new mail, the hostile name as it is: %r"
          % got)
    for where in (cwd, d, env["XDG_DATA_HOME"]):
        for name in ("PWNED", "PWNED2"):
            check(not os.path.exists(os.path.join(where, name)),
                  "no shell ran the folder name (%s/%s)" % (where, name))

    sync()
    check(calls() == [], "a sync with nothing new runs nothing")

    with open(os.path.join(d, "state", "postie", "postie.log")) as fp:
        log = fp.read()
    check("new_mail_command for INBOX (1 new): hook-out" in log,
          "the hook's output is in the log")

    if FAILED:
        print("%d failed" % len(FAILED))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
