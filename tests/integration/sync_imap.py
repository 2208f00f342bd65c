#!/usr/bin/env python3
"""`postie sync` of IMAP accounts against the harness Dovecot (or Cyrus
or Courier: tests/server/README.md, "Other servers").

Run under tests/server/with-dovecot with $POSTIE set (and
$top_builddir for the helper check_sync_imap_ops).  The server's view is
read with python's imaplib over SSL.  Exit status 0 when every check
passed.
"""
import base64
import email.header
import imaplib
import os
import re
import shutil
import signal
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time

POSTIE = os.environ["POSTIE"]
ENV = os.environ
HELPER = os.path.join(ENV.get("top_builddir", "."), "tests", "integration",
                      "check_sync_imap_ops")
FAILED = []
SERVER = ENV.get("POSTIE_TEST_SERVER", "dovecot")
DOVECOT = SERVER == "dovecot"
COURIER = SERVER == "courier"


def F(name):
    """The server's name of a fixture folder ("Work/Projects" is
    "INBOX.Work.Projects" on Courier), which postie shows as is."""
    if name == "INBOX":
        return name
    return ENV.get("POSTIE_TEST_FOLDER_PREFIX", "") + name.replace(
        "/", ENV.get("POSTIE_TEST_SEPARATOR", "/"))


def check(cond, what):
    print(("ok - " if cond else "FAIL - ") + what, flush=True)
    if not cond:
        FAILED.append(what)
    return cond


# ------------------------------------------------------------- the server

def mutf7_decode(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "&":
            j = s.index("-", i)
            if j == i + 1:
                out.append("&")
            else:
                b64 = s[i + 1:j].replace(",", "/")
                b64 += "=" * (-len(b64) % 4)
                out.append(base64.b64decode(b64).decode("utf-16-be"))
            i = j + 1
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def mutf7_encode(s):
    out, buf = [], ""
    def flush():
        if buf:
            b = base64.b64encode(buf.encode("utf-16-be")).decode()
            out.append("&" + b.rstrip("=").replace("/", ",") + "-")
    for ch in s:
        if 0x20 <= ord(ch) <= 0x7e:
            flush()
            buf = ""
            out.append("&-" if ch == "&" else ch)
        else:
            buf += ch
    flush()
    return "".join(out)


def imap(user="alice"):
    """A session of the harness user over IMAPS (other tests' too)."""
    ctx = ssl.create_default_context(cafile=ENV["POSTIE_TEST_CA"])
    m = imaplib.IMAP4_SSL(ENV["POSTIE_TEST_NAME"],
                          int(ENV["POSTIE_TEST_IMAPS_PORT"]),
                          ssl_context=ctx)
    m.login(user, "pw-" + user)
    return m


def q(name):
    return '"' + mutf7_encode(name).replace("\\", "\\\\").replace(
        '"', '\\"') + '"'


def server_folders():
    """{name: (messages, unseen)} of every selectable folder."""
    m = imap()
    out = {}
    typ, data = m.list('""', "*")
    for line in data:
        line = line.decode()
        mo = re.match(r'\((.*?)\) (?:"(.)"|NIL) (.*)$', line)
        attrs, raw = mo.group(1), mo.group(3)
        if raw.startswith('"'):
            raw = raw[1:-1]
        if "\\Noselect" in attrs or "\\NonExistent" in attrs:
            continue
        typ, st = m.status('"%s"' % raw, "(MESSAGES UNSEEN)")
        s = st[0].decode()
        msgs = int(re.search(r"MESSAGES (\d+)", s).group(1))
        unseen = int(re.search(r"UNSEEN (\d+)", s).group(1))
        out[mutf7_decode(raw)] = (msgs, unseen)
    m.logout()
    return out


def server_msgs(folder):
    """[(uid, flags, subject)] of a folder."""
    m = imap()
    m.select(q(folder))
    typ, data = m.uid("FETCH", "1:*",
                      "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    out = []
    for item in data:
        if not isinstance(item, tuple):
            continue
        head = item[0].decode()
        uid = int(re.search(r"UID (\d+)", head).group(1))
        flags = re.search(r"FLAGS \((.*?)\)", head).group(1)
        subj = item[1].decode("utf-8", "replace").strip()
        subj = re.sub(r"^Subject:\s*", "", subj, flags=re.I)
        subj = str(email.header.make_header(
            email.header.decode_header(subj)))
        out.append((uid, flags, subj))
    m.logout()
    return out


def append(folder, subject, flags=""):
    m = imap()
    msg = ("From: Second <second@example.org>\r\nTo: alice@example.org\r\n"
           "Subject: %s\r\nDate: Tue, 3 Jan 2023 10:00:00 +0000\r\n"
           "Message-ID: <%s@example.org>\r\n\r\nHello.\r\n" %
           (subject, re.sub(r"\W", "", subject)))
    m.append(q(folder), flags or None, None, msg.encode())
    m.logout()


def deliver_many(n):
    """n small messages straight into alice's INBOX Maildir (new/)."""
    d = ENV["POSTIE_TEST_MAILDIR_alice"]
    st = os.stat(d)
    now = int(time.time())
    for i in range(n):
        name = "%d.M%dP%d.bulk" % (now, i, os.getpid())
        tmp = os.path.join(d, "tmp", name)
        with open(tmp, "wb") as fp:
            fp.write(b"From: Bulk <bulk@example.org>\r\nTo: alice@"
                     b"example.org\r\nSubject: bulk %d\r\nMessage-ID: <b%d"
                     b"@example.org>\r\nDate: Wed, 4 Jan 2023 10:00:00 "
                     b"+0000\r\n\r\nbody %d\r\n" % (i, i, i))
        os.chmod(tmp, 0o644)
        os.chown(tmp, st.st_uid, st.st_gid)
        os.rename(tmp, os.path.join(d, "new", name))


def kill_imap_sessions():
    """SIGKILLs the imap session processes of this test's Dovecot only
    (its master's session; other tests may run their own Dovecot)."""
    state = {}
    with open(os.path.join(ENV["POSTIE_TEST_DIR"], "harness.state")) as fp:
        for line in fp:
            k, _, v = line.strip().partition("=")
            state[k] = v
    sid = int(state["dovecot_pid"])
    n = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as fp:
                cmd = fp.read().split(b"\0")[0]
            with open("/proc/%s/stat" % pid) as fp:
                stat = fp.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[3]) != sid:  # session id
            continue
        # "dovecot-INSTANCE/imap", with verbose_proctitle followed by
        # " [USER IP COMMAND]".
        if cmd.split(b" ")[0].endswith(b"/imap"):
            try:
                os.kill(int(pid), signal.SIGKILL)
                n += 1
            except OSError:
                pass
    return n


# ------------------------------------------------------------- the client

class Client:
    def __init__(self, tls="implicit"):
        self.dir = tempfile.mkdtemp(prefix="postie-imap-")
        self.cfg = os.path.join(self.dir, "config")
        port = ENV["POSTIE_TEST_IMAPS_PORT" if tls == "implicit"
                   else "POSTIE_TEST_IMAP_PORT"]
        with open(self.cfg, "w") as fp:
            fp.write("[account a]\nprotocol = imap\nhost = %s\nport = %s\n"
                     "tls = %s\nuser = alice\npassword_command = echo "
                     "pw-alice\nca_file = %s\n" %
                     (ENV["POSTIE_TEST_NAME"], port, tls,
                      ENV["POSTIE_TEST_CA"]))
        os.chmod(self.cfg, 0o600)
        self.env = dict(os.environ)
        for k in ("DATA", "STATE", "CACHE", "CONFIG"):
            self.env["XDG_%s_HOME" % k] = os.path.join(self.dir, k.lower())

    def run(self, *args, timeout=300):
        p = subprocess.run([POSTIE, "-c", self.cfg] + list(args),
                           env=self.env, capture_output=True,
                           timeout=timeout)
        return (p.returncode, p.stdout.decode("utf-8", "replace"),
                p.stderr.decode("utf-8", "replace"))

    def sync(self):
        rc, out, err = self.run("sync")
        if "runtime error" in err or "Sanitizer" in err:
            check(False, "no sanitizer report (%s)" % err[:2000])
        return rc, err.strip()

    def helper(self, *args, **kw):
        p = subprocess.run([HELPER, self.cfg, "a"] + list(args),
                           env=self.env, capture_output=True,
                           timeout=180, **kw)
        err = p.stderr.decode("utf-8", "replace")
        if "runtime error" in err or "Sanitizer" in err:
            check(False, "no sanitizer report (%s)" % err[:2000])
        return p

    def folders(self):
        rc, out, err = self.run("folders", "a")
        res = {}
        for line in out.splitlines():
            name, total, unread = line.split("\t")
            res[name] = (int(total), int(unread))
        return res

    def subjects(self, folder="INBOX"):
        rc, out, err = self.run("list", "a/" + folder)
        return [l.split("\t")[4] for l in out.splitlines() if l]

    def lines(self, folder="INBOX"):
        rc, out, err = self.run("list", "a/" + folder)
        return [l.split("\t") for l in out.splitlines() if l]

    def db(self):
        return sqlite3.connect(os.path.join(self.dir, "data", "postie",
                                            "postie.db"))

    def count(self, folder="INBOX"):
        path = os.path.join(self.dir, "data", "postie", "postie.db")
        if not os.path.exists(path):
            return 0  # connecting would create it
        try:
            d = sqlite3.connect("file:%s?mode=ro" % path, uri=True,
                                timeout=0.1)
            r = d.execute("SELECT count(*) FROM messages m JOIN folders f "
                          "ON m.folder = f.id WHERE f.name = ?",
                          (folder,)).fetchone()[0]
            d.close()
            return r
        except sqlite3.Error:
            return 0

    def duplicates(self):
        d = self.db()
        r = d.execute("SELECT count(*) FROM (SELECT folder, uid FROM "
                      "messages GROUP BY folder, uid HAVING count(*) > 1)"
                      ).fetchone()[0]
        d.close()
        return r

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def same_folders(c, label):
    srv = server_folders()
    mine = c.folders()
    check(srv == mine, "%s: folders and counts match the server (%s vs %s)"
          % (label, sorted(mine.items()), sorted(srv.items())))


# ------------------------------------------------------------- the checks

def basic(tls, label):
    c = Client(tls)
    rc, err = c.sync()
    check(rc == 0, "%s: sync succeeds (%s)" % (label, err))
    # A first sync starts with INBOX, before the listing: its folder row
    # is made first (Dovecot lists INBOX after the others).
    d = c.db()
    ids = dict(d.execute("SELECT name, id FROM folders WHERE account = 'a'")
               .fetchall())
    d.close()
    check(len(ids) > 1 and ids.get("INBOX") == min(ids.values()),
          "%s: a first sync starts with INBOX (folder ids %s)" % (label, ids))
    f = c.folders()
    check(F("Work/Projects") in f and F("Entwürfe") in f and "INBOX" in f,
          "%s: nested and non-ASCII folders are listed" % label)
    same_folders(c, label)
    subs = c.subjects()
    check(len(subs) == 5 and "Grüße aus München" in subs,
          "%s: INBOX lists 5 messages with decoded subjects (%s)" %
          (label, subs))
    rc, err = c.sync()
    check(rc == 0 and c.duplicates() == 0 and len(c.subjects()) == 5,
          "%s: a second sync changes nothing" % label)
    if tls == "implicit":
        rc, out, err = c.run("sync", "--bodies")
        files = []
        for root, dirs, names in os.walk(os.path.join(c.dir, "cache")):
            files += [os.path.join(root, n) for n in names]
        total = sum(v[0] for v in server_folders().values())
        check(rc == 0 and len(files) == total,
              "%s: sync --bodies caches every message's body (%d files, "
              "server %d; %s)" % (label, len(files), total, err.strip()))
    return c


def offline_ops(c):
    p = c.helper("ops", F("Archive"), F("Work"))
    check(p.returncode == 0, "ops: four changes queued offline (%s%s)" %
          (p.stdout.decode().strip(), p.stderr.decode().strip()))
    srv = {s: f for _, f, s in server_msgs("INBOX")}
    check("\\Flagged" not in srv.get("Welcome to your new mailbox", ""),
          "ops: nothing reached the server before a sync")
    rc, err = c.sync()
    check(rc == 0, "ops: sync replays (%s)" % err)
    inbox = server_msgs("INBOX")
    srv = {s: f for _, f, s in inbox}
    w = srv.get("Welcome to your new mailbox", "")
    check("\\Flagged" in w and "\\Seen" not in w,
          "ops: the flag change is on the server (%s)" % w)
    check("\\Deleted" in srv.get("Weekly news", ""),
          "ops: the deletion is on the server")
    check(not any("Minutes" in s for s in srv),
          "ops: the moved message left INBOX on the server")
    check(any("Important" in s for s in srv),
          "ops: the copied message stays in INBOX")
    arch = [s for _, _, s in server_msgs(F("Archive"))]
    work = [s for _, _, s in server_msgs(F("Work"))]
    check(sum("Minutes" in s for s in arch) == 1,
          "ops: the moved message is in Archive once (%s)" % arch)
    check(sum("Important" in s for s in work) == 1,
          "ops: the copy is in Work once (%s)" % work)
    d = c.db()
    pend = d.execute("SELECT state, count(*) FROM ops GROUP BY state"
                     ).fetchall()
    d.close()
    check(pend == [(1, 4)], "ops: all four marked done (%s)" % pend)
    rc, err = c.sync()
    arch2 = [s for _, _, s in server_msgs(F("Archive"))]
    work2 = [s for _, _, s in server_msgs(F("Work"))]
    check(rc == 0 and arch2 == arch and work2 == work,
          "ops: a second sync replays nothing again")
    check(sum("Minutes" in s for s in c.subjects(F("Archive"))) == 1 and
          sum("Important" in s for s in c.subjects(F("Work"))) == 1 and
          c.duplicates() == 0,
          "ops: the cache shows moved and copied messages once")
    same_folders(c, "ops")


def other_client(c):
    append("INBOX", "Appended by another client")
    rc, err = c.sync()
    check(rc == 0 and "Appended by another client" in c.subjects(),
          "second client: an APPEND shows after sync (%s)" % err)
    m = imap()
    m.select("INBOX")
    typ, data = m.uid("SEARCH", "SUBJECT", "Appended")
    uid = data[0].split()[-1].decode()
    m.uid("STORE", uid, "+FLAGS", "(\\Flagged \\Seen)")
    typ, data = m.uid("SEARCH", "SUBJECT", "Welcome")
    wuid = data[0].split()[-1].decode()
    m.uid("STORE", wuid, "+FLAGS", "(\\Deleted)")
    m.expunge()
    m.logout()
    rc, err = c.sync()
    lines = {l[4]: l[1] for l in c.lines()}
    check(rc == 0 and "F" in lines.get("Appended by another client", "")
          and "N" not in lines.get("Appended by another client", "N"),
          "second client: a flag change shows after sync (%s)" % lines)
    check("Welcome to your new mailbox" not in lines,
          "second client: an expunge shows after sync")
    same_folders(c, "second client")


def unchanged(c):
    """With CONDSTORE, LIST-STATUS says which folders changed: the others
    are not selected, and a change anywhere is still picked up."""
    log = os.path.join(c.dir, "state", "postie", "postie.log")
    c.run("sync")
    open(log, "w").close()
    rc, out, err = c.run("-d", "sync")
    with open(log, errors="replace") as fp:
        skipped = set(re.findall(r"imap: (.*) unchanged on the server", fp.read()))
    check(rc == 0 and {"INBOX", F("Work"), F("Archive")} <= skipped,
          "unchanged: a resync selects no unchanged folder (%s)" % sorted(skipped))
    before = {l[0]: l[1] for l in c.lines(F("Work"))}
    check("F" not in before.get("1", "F"),
          "unchanged: Work UID 1 starts unflagged (%s)" % before)
    m = imap()
    m.select(q(F("Work")))
    m.uid("STORE", "1", "+FLAGS", "(\\Flagged)")
    m.logout()
    open(log, "w").close()
    rc, out, err = c.run("-d", "sync")
    with open(log, errors="replace") as fp:
        skipped = set(re.findall(r"imap: (.*) unchanged on the server", fp.read()))
    work = {l[0]: l[1] for l in c.lines(F("Work"))}
    check(rc == 0 and F("Work") not in skipped and "INBOX" in skipped and
          "F" in work.get("1", ""),
          "unchanged: another client's flag in Work is synced (%s, %s)" %
          (work, sorted(skipped)))


def merge(c):
    """A local change queued offline and another client's change to the
    same message both survive."""
    p = c.helper("flag", "München")
    check(p.returncode == 0, "merge: flag queued offline (%s)" %
          p.stderr.decode().strip())
    m = imap()
    m.select("INBOX")
    m.uid("STORE", "3", "+FLAGS", "(\\Seen \\Answered)")
    m.logout()
    rc, err = c.sync()
    srv = [f for u, f, s in server_msgs("INBOX") if u == 3]
    lines = {l[4]: l[1] for l in c.lines()}
    check(rc == 0 and srv and all(x in srv[0] for x in
                                  ("\\Flagged", "\\Seen", "\\Answered")),
          "merge: the server has both changes (%s)" % srv)
    mine = lines.get("Grüße aus München", "")
    check("F" in mine and "N" not in mine,
          "merge: the cache shows both changes (%r)" % mine)


def no_modseq(c):
    """Without a saved HIGHESTMODSEQ (as with a server lacking QRESYNC)
    the sync compares every known UID's flags and drops what is gone."""
    append("INBOX", "Before the fallback")
    rc, err = c.sync()
    m = imap()
    m.select("INBOX")
    typ, data = m.uid("SEARCH", "SUBJECT", "\"Before the fallback\"")
    m.uid("STORE", data[0].split()[-1].decode(), "+FLAGS", "(\\Flagged)")
    typ, data = m.uid("SEARCH", "SUBJECT", "Important")
    m.uid("STORE", data[0].split()[-1].decode(), "+FLAGS", "(\\Deleted)")
    m.expunge()
    m.logout()
    append("INBOX", "After the fallback")
    d = c.db()
    d.execute("UPDATE folders SET highestmodseq = 0 WHERE name = 'INBOX'")
    d.commit()
    d.close()
    rc, err = c.sync()
    srv = sorted((s, "\\Flagged" in f, "\\Seen" in f)
                 for u, f, s in server_msgs("INBOX"))
    mine = sorted((l[4], "F" in l[1], "N" not in l[1]) for l in c.lines())
    check(rc == 0 and srv == mine,
          "no modseq: the full flag check matches the server (%s vs %s)"
          % (mine, srv))


def uidvalidity(c):
    wp = F("Work/Projects")
    before = c.subjects(wp)
    m = imap()
    m.delete(q(wp))
    m.create(q(wp))
    m.logout()
    append(wp, "Fresh project mail")
    rc, err = c.sync()
    subs = c.subjects(wp)
    check(rc == 0 and subs == ["Fresh project mail"],
          "uidvalidity: the recreated folder is rebuilt, nothing stale "
          "(%s before, %s after)" % (before, subs))
    d = c.db()
    v = d.execute("SELECT uidvalidity FROM folders WHERE name = ?",
                  (wp,)).fetchone()[0]
    d.close()
    m = imap()
    typ, st = m.status(q(wp), "(UIDVALIDITY)")
    m.logout()
    check(str(v) in st[0].decode(), "uidvalidity: the new value is stored")


def finish(p):
    """The helper's stdout and stderr, killing it after 60 s."""
    try:
        return p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        return p.communicate()


def idle(c, folder=None, where=None):
    """A message another client appends arrives through IDLE, with no
    sync request: in INBOX when the user looks at nothing, and in the
    folder the user looks at (cache_watch) otherwise; with where, in
    that other folder (NOTIFY); the timers are minutes (INBOX beside
    another folder: one), the helper waits 30 s.  No sync storm after."""
    where = where or folder or "INBOX"
    subject = "Arrived in %s while watching %s" % (where, folder or "INBOX")
    p = subprocess.Popen([HELPER, c.cfg, "a", "idle", subject,
                          folder or "-", where],
                         env=c.env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    line = p.stdout.readline().decode().strip()
    if line == "synced":
        time.sleep(1)
        append(where, subject)
    out, err = finish(p)
    check(line == "synced" and p.returncode == 0,
          "idle: a message appended to %s elsewhere arrives without a new "
          "sync request, watching %s (%s %s)" % (where, folder or "INBOX",
                                                 out.decode().strip(),
                                                 err.decode().strip()))


def idle_new_folder(c):
    """A folder another client makes shows up by itself (NOTIFY sends a
    LIST; the background sync timer is minutes, the helper waits 30 s)."""
    p = subprocess.Popen([HELPER, c.cfg, "a", "newfolder", "Fresh"],
                         env=c.env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    line = p.stdout.readline().decode().strip()
    if line == "synced":
        time.sleep(1)
        m = imap()
        m.create(q("Fresh"))
        m.logout()
    out, err = finish(p)
    check(line == "synced" and p.returncode == 0,
          "idle: a folder made elsewhere appears without a new sync "
          "request (%s %s)" % (out.decode().strip(), err.decode().strip()))
    m = imap()
    m.delete(q("Fresh"))
    m.logout()


def idle_changes(c):
    """Another client flags a message, then expunges it: each change
    reaches the cache through IDLE, with no sync request (the timers are
    minutes, the helper waits 30 s for each)."""
    subject = "Changed elsewhere while idle"
    append("INBOX", subject)
    p = subprocess.Popen([HELPER, c.cfg, "a", "change", subject],
                         env=c.env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    line = p.stdout.readline().decode().strip()
    line2 = ""
    t0 = time.time()
    took = []
    if line == "synced":
        time.sleep(1)
        m = imap()
        m.select("INBOX")
        typ, data = m.uid("SEARCH", "SUBJECT", "Changed")
        uid = data[0].split()[-1].decode()
        t0 = time.time()
        m.uid("STORE", uid, "+FLAGS", "(\\Flagged)")
        m.logout()
        line2 = p.stdout.readline().decode().strip()
        took.append(time.time() - t0)
        if line2 == "seen":  # wait_until's own line
            line2 = p.stdout.readline().decode().strip()
        m = imap()
        m.select("INBOX")
        t0 = time.time()
        m.uid("STORE", uid, "+FLAGS", "(\\Deleted)")
        m.expunge()
        m.logout()
    out, err = finish(p)
    took.append(time.time() - t0)
    check(line == "synced" and line2 == "flagged" and p.returncode == 0,
          "idle: another client's flag change, then its expunge, reach the "
          "cache without a sync request (%s; %s %s)" % (
              ", ".join("%.1f s" % t for t in took), out.decode().strip(),
              err.decode().strip()))


def logins(user="alice"):
    """The server log's lines of user's IMAP logins."""
    log = ENV.get("POSTIE_TEST_DOVECOT_LOG") or ENV["POSTIE_TEST_SERVER_LOG"]
    want = {"dovecot": "Login: user=<%s>",
            "courier": "LOGIN, user=%s,"}.get(SERVER, "] %s ") % user
    with open(log, errors="replace") as fp:
        return [l for l in fp if want in l and
                ("User logged in" in l or SERVER != "cyrus")]


def alice_logins():
    return len(logins())


def idle_gone(c):
    """The folder the user looks at is deleted by another client before
    IDLE selects it: IDLE watches INBOX instead and the session stays up
    (an INBOX message arrives within 30 s; the retry timer is minutes)."""
    m = imap()
    m.create(q(F("Doomed")))
    m.logout()
    subject = "Arrived after Doomed went"
    p = subprocess.Popen([HELPER, c.cfg, "a", "gone", F("Doomed"), subject],
                         env=c.env, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    line = p.stdout.readline().decode().strip()
    line2 = ""
    logins = 0
    if line == "synced":
        logins = alice_logins()
        m = imap()
        m.delete(q(F("Doomed")))
        m.logout()
        p.stdin.write(b"go\n")
        p.stdin.flush()
        line2 = p.stdout.readline().decode().strip()
        time.sleep(2)
        append("INBOX", subject)
    out, err = finish(p)
    check(line == "synced" and line2 == "watching" and p.returncode == 0,
          "idle: the watched folder deleted elsewhere, INBOX is watched "
          "instead (%s %s)" % (out.decode().strip(), err.decode().strip()))
    # The only logins since are the test's own (delete, append): postie's
    # session was not dropped and opened again.
    check(alice_logins() - logins == 2,
          "idle: the failed SELECT kept postie's session (%d logins)" %
          (alice_logins() - logins))


def body(c):
    p = c.helper("open", "München")
    out = p.stdout.decode().strip()
    m = imap()
    m.select("INBOX")
    typ, data = m.uid("FETCH", "3", "(RFC822.SIZE)")  # MANIFEST order
    m.logout()
    size = re.search(rb"RFC822.SIZE (\d+)", data[0]).group(1).decode()
    check(p.returncode == 0 and out == "body " + size,
          "body: the raw message is fetched into the body cache (%s, "
          "server %s; %s)" % (out, size, p.stderr.decode().strip()))


def dropped():
    deliver_many(20000)
    c = Client()
    p = subprocess.Popen([POSTIE, "-c", c.cfg, "sync"], env=c.env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    end = time.time() + 120
    while time.time() < end and p.poll() is None and c.count() < 300:
        time.sleep(0.02)
    killed = kill_imap_sessions() if p.poll() is None else 0
    p.wait(timeout=120)
    got = c.count()
    check(killed > 0 and p.returncode != 0,
          "drop: the connection was killed mid-sync (%d of the messages "
          "in, status %d, %d killed)" % (got, p.returncode, killed))
    rc, err = c.sync()
    srv = server_folders()["INBOX"][0]
    check(rc == 0 and c.count() == srv and c.duplicates() == 0,
          "drop: the next sync completes without duplicates (%d, server "
          "%d; %s)" % (c.count(), srv, err))
    # The same with postie itself killed.
    c2 = Client()
    p = subprocess.Popen([POSTIE, "-c", c2.cfg, "sync"], env=c2.env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    end = time.time() + 120
    while time.time() < end and p.poll() is None and c2.count() < 300:
        time.sleep(0.02)
    p.send_signal(signal.SIGKILL)
    p.wait()
    rc, err = c2.sync()
    check(rc == 0 and c2.count() == srv and c2.duplicates() == 0,
          "kill: a sync after postie was killed completes without "
          "duplicates (%d, server %d)" % (c2.count(), srv))
    # Opening a message while a big folder syncs: served between chunks.
    c3 = Client()
    p = c3.helper("interrupt", str(srv))
    check(p.returncode == 0, "interrupt: a body asked for during a sync "
          "arrives before the sync ends (%s %s)" %
          (p.stdout.decode().strip(), p.stderr.decode().strip()))
    rc, err = c3.sync()
    check(rc == 0 and c3.count() == srv and c3.duplicates() == 0,
          "interrupt: the resumed sync is complete without duplicates "
          "(%d, server %d)" % (c3.count(), srv))
    c.cleanup()
    c2.cleanup()
    c3.cleanup()


def starved():
    """A large first fill (the 20,000 of dropped()) while programs of
    normal priority keep every CPU busy (two busy loops per CPU,
    wherever the kernel places them): the sync is complete."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(2 * len(os.sched_getaffinity(0)))]
    try:
        c = Client()
        t = time.time()
        rc, err = c.sync()
        took = time.time() - t
    finally:
        for h in hogs:
            h.kill()
            h.wait()
    srv = server_folders()["INBOX"][0]
    check(rc == 0 and c.count() == srv and c.duplicates() == 0,
          "starved: the fill under full CPU load is complete (%d, server "
          "%d, %.1f s; %s)" % (c.count(), srv, took, err))
    c.cleanup()


def main():
    # The harness's own logins (fixture mail) come before.
    before = len(logins())
    st = basic("starttls", "starttls")
    # imaplib uses IMAPS: a plain-text session can only be postie's.
    # Courier's log line of a login does not say whether TLS was on.
    if not COURIER:
        seen = logins()[before:]
        check(seen and all(", TLS," in l or "+TLS " in l for l in seen),
              "starttls: every login was under TLS (%d logins)" % len(seen))
    st.cleanup()
    c = basic("implicit", "imaps")
    offline_ops(c)
    other_client(c)
    # Courier has neither CONDSTORE nor LIST-STATUS: every folder is
    # looked at on every sync, so nothing is "unchanged".
    if not COURIER:
        unchanged(c)
    merge(c)
    no_modseq(c)
    uidvalidity(c)
    body(c)
    idle(c)
    idle(c, F("Work"))
    # Only Dovecot has NOTIFY: elsewhere another folder's news and a new
    # folder wait for the next sync (minutes), and INBOX's news while IDLE
    # watches Work for the next look at INBOX (WATCH_INBOX_MS, a minute,
    # longer than the helper waits).
    if DOVECOT:
        idle(c, None, F("Work"))
        idle(c, F("Work"), "INBOX")
    # Not on Courier yet: there about one run in six (2 of 12 by hand)
    # the expunge, made just after postie saw the flag change, reached
    # the cache only with the next timed sync; not explained yet
    # (tests/server/README.md, "Other servers").
    if not COURIER:
        idle_changes(c)
    if DOVECOT:
        idle_new_folder(c)
    idle_gone(c)
    c.cleanup()
    # The 20,000-message fills, killed and starved, try postie's own
    # restart and CPU handling, which no server changes: Dovecot only,
    # where the harness can deliver them fast and kill a session.
    if DOVECOT:
        dropped()
        starved()
    if FAILED:
        print("%d check(s) failed" % len(FAILED))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
