#!/usr/bin/env python3
"""Helpers of tests/tui/tags.itest (the harness Dovecot's env).

  tags.py proxy PORTFILE LOGFILE
      a loopback relay to Dovecot's plain IMAP port that writes each
      command the client sends (its verb, after an optional UID) to
      LOGFILE, one a line; its port goes to PORTFILE.  Runs until killed.
  tags.py fill N PREFIX
      writes N messages "PREFIX i" into carol's INBOX Maildir.
  tags.py count FOLDER PREFIX
      prints how many messages of carol's FOLDER have a subject starting
      with PREFIX (IMAP SEARCH on the server).
  tags.py create FOLDER
  tags.py pending DB
      exit 0 when postie's queue of changes is empty and something was
      sent.
"""
import os
import socket
import sqlite3
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "integration"))
from sync_imap import imap  # noqa: E402

ENV = os.environ


def relay(src, dst, log):
    buf = b""
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
            if log is None:
                continue
            buf += data
            while b"\r\n" in buf:
                line, buf = buf.split(b"\r\n", 1)
                words = line.split(b" ", 3)
                if len(words) >= 2 and not line.startswith(b"+"):
                    verb = words[1].upper()
                    if verb == b"UID" and len(words) >= 3:
                        verb = words[2].upper()
                    with open(log, "ab") as f:
                        f.write(verb + b"\n")
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def proxy(portfile, log):
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(8)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(ls.getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)
    while True:
        c, _ = ls.accept()
        s = socket.create_connection(("127.0.0.1",
                                      int(ENV["POSTIE_TEST_IMAP_PORT"])))
        threading.Thread(target=relay, args=(c, s, log), daemon=True).start()
        threading.Thread(target=relay, args=(s, c, None),
                         daemon=True).start()


def fill(n, prefix):
    root = ENV["POSTIE_TEST_MAILDIR_carol"]
    uid = int(ENV.get("POSTIE_TEST_MAIL_UID", "-1"))
    gid = int(ENV.get("POSTIE_TEST_MAIL_GID", "-1"))
    t = time.time()
    for i in range(n):
        base = "%d.M%dP%d.tags" % (int(t), i, os.getpid())
        tmp = os.path.join(root, "tmp", base)
        with open(tmp, "w") as f:
            f.write("From: Ann <ann@example.org>\r\nTo: carol@example.org\r\n"
                    "Subject: %s %d\r\nMessage-ID: <%s-%d@example.org>\r\n"
                    "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\nhi %d\r\n"
                    % (prefix, i, prefix, i, i))
        if os.geteuid() == 0 and uid >= 0:
            os.chown(tmp, uid, gid)
        os.rename(tmp, os.path.join(root, "new", base))


def count(folder, prefix):
    m = imap("carol")
    m.select('"%s"' % folder, readonly=True)
    typ, data = m.search(None, "SUBJECT", '"%s "' % prefix)
    m.logout()
    print(len(data[0].split()) if data and data[0] else 0)


def main(a):
    if a[1] == "proxy":
        proxy(a[2], a[3])
    elif a[1] == "fill":
        fill(int(a[2]), a[3])
    elif a[1] == "count":
        count(a[2], a[3])
    elif a[1] == "create":
        m = imap("carol")
        m.create(a[2])
        m.logout()
    elif a[1] == "pending":
        db = sqlite3.connect("file:%s?mode=ro" % a[2], uri=True, timeout=10)
        n = db.execute("SELECT count(*) FROM ops WHERE state = 0"
                       ).fetchone()[0]
        d = db.execute("SELECT count(*) FROM ops WHERE state <> 0"
                       ).fetchone()[0]
        return 0 if n == 0 and d > 0 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
