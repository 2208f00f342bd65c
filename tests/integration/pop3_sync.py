#!/usr/bin/env python3
"""`postie sync` of POP3 accounts against the harness Dovecot.

Run under tests/server/with-dovecot with $POSTIE set.  Each check runs the
real binary with a config written here (password via password_command).
Messages are compared byte for byte after CRLF -> LF (Maildir files hold
LF line ends).  Exit status: 0 when every check passed.
"""
import glob
import imaplib
import mailbox
import os
import re
import shutil
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time

POSTIE = os.environ["POSTIE"]
ENV = os.environ
FAILED = []
COUNTER = [0]


def check(cond, what):
    print(("ok - " if cond else "FAIL - ") + what, flush=True)
    if not cond:
        FAILED.append(what)
    return cond


# ------------------------------------------------------------- the server

def srv_dir(user):
    return ENV["POSTIE_TEST_MAILDIR_" + user]


def srv_files(user):
    d = srv_dir(user)
    return sorted(glob.glob(os.path.join(d, "new", "*")) +
                  glob.glob(os.path.join(d, "cur", "*")))


def norm(data):
    return data.replace(b"\r\n", b"\n")


# Courier serves Maildir files as they are, so they must end lines in LF
# there; Dovecot takes either (the CRLF files test that it converts none).
COURIER = ENV.get("POSTIE_TEST_SERVER") == "courier"


def on_disk(data):
    return norm(data) if COURIER else data


# Cyrus's store is no Maildir: drop() and clear() go through IMAP there.
CYRUS = ENV.get("POSTIE_TEST_SERVER", "").startswith("cyrus")


def srv_imap(user):
    ctx = ssl.create_default_context(cafile=ENV["POSTIE_TEST_CA"])
    m = imaplib.IMAP4_SSL(ENV["POSTIE_TEST_HOST"],
                          int(ENV["POSTIE_TEST_IMAPS_PORT"]),
                          ssl_context=ctx)
    m.login(user, "pw-" + user)
    return m


def srv_messages(user):
    out = []
    for f in srv_files(user):
        with open(f, "rb") as fp:
            out.append(norm(fp.read()))
    return sorted(out)


def drop(user, data):
    """Delivers data into the server's Maildir behind Dovecot's back
    (Cyrus: APPENDs it)."""
    if CYRUS:
        m = srv_imap(user)
        m.append("INBOX", None, None, data)
        m.logout()
        return
    d = srv_dir(user)
    st = os.stat(d)
    COUNTER[0] += 1
    name = "%d.M%dP%d.postie-test" % (time.time(), COUNTER[0], os.getpid())
    tmp = os.path.join(d, "tmp", name)
    with open(tmp, "wb") as fp:
        fp.write(on_disk(data))
    os.chmod(tmp, 0o644)
    os.chown(tmp, st.st_uid, st.st_gid)
    os.rename(tmp, os.path.join(d, "new", name))


def clear(user):
    if CYRUS:
        m = srv_imap(user)
        typ, n = m.select("INBOX")
        if int(n[0]):
            m.store("1:*", "+FLAGS.SILENT", "(\\Deleted)")
            m.expunge()
        m.logout()
        return
    for f in srv_files(user):
        os.unlink(f)


def message(n, extra=b""):
    return (b"From: Tester <t@example.org>\r\nTo: bob@example.org\r\n"
            b"Subject: message %d\r\nMessage-ID: <m%d.%d@example.org>\r\n"
            b"Date: Mon, 2 Jan 2023 10:00:00 +0000\r\n\r\n"
            b"Body of message %d.\r\n.leading dot\r\n..two dots\r\n"
            b".\r\n" % (n, n, os.getpid(), n) + extra + b"end\r\n")


# ------------------------------------------------------------- the client

class Client:
    def __init__(self, name, user, tls, keep, keep_days=0,
                 password="pw-%s"):
        self.dir = tempfile.mkdtemp(prefix="postie-pop3-")
        self.name = name
        self.cfg = os.path.join(self.dir, "config")
        port = ENV["POSTIE_TEST_POP3S_PORT" if tls == "implicit"
                   else "POSTIE_TEST_POP3_PORT"]
        lines = [
            "[account %s]" % name,
            "protocol = pop3",
            "host = %s" % ENV["POSTIE_TEST_NAME"],
            "port = %s" % port,
            "tls = %s" % tls,
            "user = %s" % user,
            "password_command = echo %s" % (password % user
                                            if "%s" in password
                                            else password),
            "ca_file = %s" % ENV["POSTIE_TEST_CA"],
            "keep_on_server = %s" % ("yes" if keep else "no"),
        ]
        if keep_days:
            lines.append("keep_days = %d" % keep_days)
        with open(self.cfg, "w") as fp:
            fp.write("\n".join(lines) + "\n")
        os.chmod(self.cfg, 0o600)
        self.env = dict(os.environ)
        for k in ("DATA", "STATE", "CACHE", "CONFIG"):
            self.env["XDG_%s_HOME" % k] = os.path.join(self.dir, k.lower())

    def sync(self):
        p = subprocess.run([POSTIE, "-c", self.cfg, "sync", self.name],
                           env=self.env, capture_output=True, timeout=300)
        return p.returncode, p.stderr.decode("utf-8", "replace")

    def sync_rss(self):
        """Runs sync as a direct child; returns (status, peak RSS KiB)."""
        pid = os.fork()
        if pid == 0:
            fd = os.open(os.devnull, os.O_WRONLY)
            os.dup2(fd, 1)
            os.execve(POSTIE, [POSTIE, "-c", self.cfg, "sync", self.name],
                      self.env)
        _, status, ru = os.wait4(pid, 0)
        return os.waitstatus_to_exitcode(status), ru.ru_maxrss

    def maildir(self):
        return os.path.join(self.dir, "data", "postie", "mail", self.name,
                            "INBOX")

    def files(self):
        m = self.maildir()
        return sorted(glob.glob(os.path.join(m, "new", "*")) +
                      glob.glob(os.path.join(m, "cur", "*")))

    def messages(self):
        out = []
        for f in self.files():
            with open(f, "rb") as fp:
                out.append(fp.read())
        return sorted(out)

    def db(self):
        return sqlite3.connect(os.path.join(self.dir, "data", "postie",
                                            "postie.db"))

    def list_count(self):
        p = subprocess.run([POSTIE, "-c", self.cfg, "list", self.name],
                           env=self.env, capture_output=True, timeout=60)
        if p.returncode != 0:
            return -1
        return len([l for l in p.stdout.decode().split("\n") if l])

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def sanitized():
    with open(POSTIE, "rb") as fp:
        return b"__asan_init" in fp.read()


def python_count(path):
    return len(mailbox.Maildir(path, factory=None, create=False).keys())


# ------------------------------------------------------------- the checks

def mode_checks(tls, keep, user):
    label = "%s %s" % (tls, "keep" if keep else "delete")
    clear(user)
    for i in range(5):
        drop(user, message(i))
    before = srv_messages(user)
    c = Client("acct", user, tls, keep)
    rc, err = c.sync()
    check(rc == 0, "%s: first sync succeeds (%s)" % (label, err.strip()))
    check(c.messages() == before,
          "%s: the Maildir holds exactly the server's %d messages" %
          (label, len(before)))
    left = os.listdir(os.path.join(c.maildir(), "tmp"))
    check(left == [], "%s: nothing is left in tmp/ (files created ahead "
          "and not used are removed: %s)" % (label, left))
    if keep:
        check(srv_messages(user) == before,
              "%s: the server keeps every message" % label)
    else:
        check(srv_files(user) == [], "%s: the server is empty" % label)
    names = c.files()
    rc, err = c.sync()
    check(rc == 0 and c.files() == names,
          "%s: a second sync downloads nothing" % label)
    drop(user, message(99, b"new one\r\n"))
    rc, err = c.sync()
    new = sorted(set(c.files()) - set(names))
    check(rc == 0 and len(new) == 1 and len(c.files()) == len(names) + 1,
          "%s: only the new message is downloaded" % label)
    if new:
        with open(new[0], "rb") as fp:
            check(fp.read() == norm(message(99, b"new one\r\n")),
                  "%s: the new message is byte for byte right" % label)
    check(python_count(c.maildir()) == 6,
          "%s: Python's mailbox reads 6 messages" % label)
    check(c.list_count() == 6, "%s: postie list shows 6 messages" % label)
    if not keep:
        check(srv_files(user) == [], "%s: the server is empty again" % label)
    c.cleanup()


def fixture_check():
    """bob's fixture mail (dot-stuffing, a long message) in keep mode."""
    before = srv_messages("bob")
    c = Client("bob", "bob", "implicit", True)
    rc, err = c.sync()
    check(rc == 0 and c.messages() == before and len(before) >= 3,
          "bob's %d fixture messages arrive byte for byte" % len(before))
    c.cleanup()


def keep_days_check():
    user = "carol"
    clear(user)
    for i in range(3):
        drop(user, message(100 + i))
    c = Client("kd", user, "starttls", True, keep_days=3)
    rc, err = c.sync()
    check(rc == 0 and len(c.files()) == 3 and len(srv_files(user)) == 3,
          "keep_days: fresh downloads stay on the server (%s)" % err.strip())
    db = c.db()
    rows = db.execute("SELECT uidl, mkey FROM uidl WHERE account = 'kd' "
                      "ORDER BY uidl").fetchall()
    old = rows[:2]
    db.executemany("UPDATE uidl SET downloaded_at = downloaded_at - "
                   "10 * 86400 WHERE account = 'kd' AND uidl = ?",
                   [(u,) for u, _ in old])
    db.commit()
    db.close()
    rc, err = c.sync()
    left = srv_messages(user)
    check(rc == 0 and len(left) == 1,
          "keep_days: the two back-dated messages are deleted, one stays")
    young_key = rows[2][1]
    young = [f for f in c.files() if os.path.basename(f).split(":")[0] ==
             young_key]
    if young and left:
        with open(young[0], "rb") as fp:
            check(fp.read() == left[0],
                  "keep_days: the one left is the recent download")
    else:
        check(False, "keep_days: the recent download is found")
    check(len(c.files()) == 3, "keep_days: the local copies stay")
    rc, err = c.sync()
    check(rc == 0 and len(c.files()) == 3 and len(srv_files(user)) == 1,
          "keep_days: the next sync changes nothing")
    c.cleanup()


def wrong_password_check():
    log = ENV.get("POSTIE_TEST_DOVECOT_LOG") or ENV.get(
        "POSTIE_TEST_SERVER_LOG")
    start = os.path.getsize(log) if log else 0
    c = Client("bad", "bob", "implicit", True, password="not-the-password")
    rc, err = c.sync()
    check(rc != 0, "wrong password: sync fails")
    # Courier has no RESP-CODES ([AUTH]): postie can only pass on its
    # "Login failed.".
    want = "Login failed." if COURIER else \
        "rejected the user name or password"
    check(want in err, "wrong password: a clear error (%s)" % err.strip())
    check("not-the-password" not in err, "wrong password: not echoed")
    check(c.files() == [], "wrong password: nothing stored")
    if log:
        time.sleep(1.5)  # Dovecot writes the line when the login ends
        with open(log, "rb") as fp:
            fp.seek(start)
            text = fp.read().decode("utf-8", "replace")
        if COURIER:
            # Courier logs one line per refused login.
            fails = [l for l in text.split("\n")
                     if "LOGIN FAILED, user=bob," in l]
            one = len(fails) == 1
        else:
            fails = [l for l in text.split("\n")
                     if "pop3-login" in l and "user=<bob>" in l and
                     "auth failed" in l]
            one = len(fails) == 1 and re.search(r"\b1 attempts", fails[0])
        check(one, "wrong password: exactly one login attempt (%s)" % fails)
    c.cleanup()


def big_message_check():
    """Never holds the message in this process: the child's ru_maxrss
    counts this process's RSS at fork time too, so it must stay small."""
    import hashlib
    user = "carol"
    clear(user)
    head = message(500)
    line = b"x" * 76 + b"\r\n"
    count = 20 * 1024 * 1024 // len(line)
    want = hashlib.sha256()
    d = srv_dir(user)
    st = os.stat(d)
    tmp = os.path.join(d, "tmp", "big.postie-test")
    with open(tmp, "wb") as fp:
        fp.write(on_disk(head))
        want.update(norm(head))
        for _ in range(count // 1024):
            fp.write(on_disk(line * 1024))
            want.update(norm(line * 1024))
    os.chmod(tmp, 0o644)
    os.chown(tmp, st.st_uid, st.st_gid)
    os.rename(tmp, os.path.join(d, "new", "big.postie-test"))
    c = Client("big", user, "implicit", False)
    status, rss = c.sync_rss()
    check(status == 0, "20 MB message: sync succeeds")
    files = c.files()
    got = hashlib.sha256()
    if len(files) == 1:
        with open(files[0], "rb") as fp:
            for chunk in iter(lambda: fp.read(1 << 20), b""):
                got.update(chunk)
    check(len(files) == 1 and got.digest() == want.digest(),
          "20 MB message: stored byte for byte")
    if sanitized():
        print("# 20 MB message: peak RSS %d KiB not checked (sanitizer "
              "build: shadow memory)" % rss)
    else:
        check(rss < 30 * 1024,
              "20 MB message: peak RSS of postie sync is %d KiB (< 30 MiB)"
              % rss)
    check(srv_files(user) == [], "20 MB message: deleted from the server")
    c.cleanup()


NO_UIDL = r"""protocol: pop3
implicit-tls: yes
greeting: +OK hello\r\n
tls on CAPA: +OK\r\nUSER\r\nTOP\r\n.\r\n
tls on USER: +OK\r\n
tls on PASS: +OK logged in\r\n
tls on STAT: +OK 1 40\r\n
tls on LIST: +OK\r\n1 40\r\n.\r\n
tls on UIDL: -ERR no UIDL here\r\n
tls on RETR: +OK\r\nSubject: NOUIDL\r\n\r\nbody\r\n.\r\n
tls on DELE: +OK\r\n
tls on QUIT: +OK bye\r\n
"""


def scripted_sync(scenario, keep):
    """postie sync against tests/server/hostile.py playing scenario (one
    connection).  Returns (status, stderr, transcript, client)."""
    src = ENV.get("top_srcdir") or os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__))))
    certs = subprocess.run([os.path.join(src, "tests", "server", "harness"),
                            "certs", ENV["POSTIE_TEST_DIR"]],
                           capture_output=True, text=True,
                           check=True).stdout.strip().splitlines()[-1]
    work = tempfile.mkdtemp(prefix="postie-pop3-scn-")
    scn = os.path.join(work, "s.scn")
    with open(scn, "w") as fp:
        fp.write(scenario)
    portfile = os.path.join(work, "port")
    transcript = os.path.join(work, "transcript")
    open(transcript, "wb").close()
    srv = subprocess.Popen([sys.executable, os.path.join(
        src, "tests", "server", "hostile.py"), scn, certs, portfile,
        transcript], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            if os.path.exists(portfile) and open(portfile).read().strip():
                break
            time.sleep(0.05)
        port = open(portfile).read().strip()
        c = Client("scripted", "bob", "implicit", keep)
        with open(c.cfg) as fp:
            text = fp.read()
        text = re.sub(r"port = \d+", "port = " + port, text)
        with open(c.cfg, "w") as fp:
            fp.write(text + "timeout = 5\n")
        rc, err = c.sync()
    finally:
        srv.kill()
        srv.wait()
    with open(transcript, "rb") as fp:
        sent = fp.read().decode("utf-8", "replace")
    shutil.rmtree(work, ignore_errors=True)
    return rc, err, sent, c


def no_uidl_checks():
    rc, err, sent, c = scripted_sync(NO_UIDL, True)
    check(rc != 0 and "does not support UIDL" in err,
          "no UIDL, keep mode: refused with a clear sentence (%s)" %
          err.strip())
    check("RETR" not in sent and "DELE" not in sent and c.files() == [],
          "no UIDL, keep mode: nothing downloaded, nothing deleted")
    c.cleanup()
    rc, err, sent, c = scripted_sync(NO_UIDL, False)
    msgs = c.messages()
    check(rc == 0 and len(msgs) == 1 and b"NOUIDL" in msgs[0],
          "no UIDL, delete mode: the message is downloaded (%s)" %
          err.strip())
    check(re.search(r"(?m)^tls: DELE 1\s*$", sent) is not None,
          "no UIDL, delete mode: and deleted")
    c.cleanup()


IN_USE = r"""protocol: pop3
implicit-tls: yes
greeting: +OK hello\r\n
tls on CAPA: +OK\r\nUSER\r\nUIDL\r\n.\r\n
tls on USER: +OK\r\n
tls on PASS: -ERR [IN-USE] locked \e[31mby\e]0;evil\x07 another\r\n
tls on QUIT: +OK bye\r\n
"""


def in_use_check():
    rc, err, sent, c = scripted_sync(IN_USE, True)
    check(rc != 0 and "in use by another session" in err,
          "[IN-USE] becomes a clear sentence (%s)" % err.strip())
    check("\x1b" not in err and "\x07" not in err,
          "the server's text reaches the terminal without escapes")
    check(sent.count("PASS") == 1, "one login attempt only")
    c.cleanup()


def main():
    big_message_check()
    fixture_check()
    for tls in ("implicit", "starttls"):
        for keep in (True, False):
            mode_checks(tls, keep, "carol")
    keep_days_check()
    wrong_password_check()
    no_uidl_checks()
    in_use_check()
    print("%d check(s) failed" % len(FAILED) if FAILED else "all passed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
