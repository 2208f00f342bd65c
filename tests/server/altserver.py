"""Cyrus IMAP and Courier for tests/server/harness (a module of it).

Debian's cyrus-imapd/cyrus-pop3d and courier-imap/courier-pop conflict
with dovecot-imapd/dovecot-pop3d: installing them would remove the
harness's Dovecot.  So their packages are fetched with `apt-get download`
(only those not installed already) and unpacked with `dpkg-deb -x` into a
private root, cached per build folder (see pkg_root).  The servers run
from there inside a private mount namespace (`unshare -m`) in which
read-only overlays put the private root over /usr and a private layer
over /etc: the binaries find their libraries, SASL plugins and the
paths compiled into them (Courier's /etc/courier, /run/courier) without
LD_LIBRARY_PATH tricks, and the machine's /usr, /etc and /run are never
written.  That needs root (CI is root); elsewhere start fails with
SKIP_STATUS.

Fixture mail goes in over IMAP (APPEND with flags and the Date: as
INTERNALDATE), so UIDs follow MANIFEST order as with Dovecot; folder
names are mapped to each server's namespace (FolderMap).
"""

import imaplib
import os
import shlex
import shutil
import smtplib
import socket
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # run as a script too (syslog)
from certs import HarnessError, die, make_once  # noqa: E402

SKIP_STATUS = 77  # automake's SKIP: the packages could not be had

PACKAGES = {
    # Libraries the Debian build needs beyond what postie's own
    # dependencies bring (ldd of the binaries), SASL's sasldb plugin and
    # saslpasswd2.
    "cyrus": ["cyrus-common", "cyrus-imapd", "cyrus-pop3d", "sasl2-bin",
              "libsasl2-modules", "libsasl2-modules-db", "libxapian30",
              "libical3"],
    "courier": ["courier-base", "courier-imap", "courier-pop",
                "courier-authlib", "courier-authlib-userdb",
                "libcourier-unicode4", "libltdl7", "libgamin0", "gamin"],
}
# Binaries that must load from the root: the check after unpacking.
PROBES = {
    "cyrus": ["/usr/lib/cyrus/bin/master", "/usr/lib/cyrus/bin/imapd",
              "/usr/lib/cyrus/bin/pop3d", "/usr/lib/cyrus/bin/lmtpd",
              "/usr/sbin/saslpasswd2"],
    "courier": ["/usr/bin/imapd", "/usr/sbin/couriertcpd",
                "/usr/lib/courier/courier/imaplogin",
                "/usr/lib/courier/courier/courierpop3d",
                "/usr/lib/courier/courier-authlib/authdaemond",
                "/usr/bin/couriertls"],
}
ROOT_FORMAT = "4"  # bump when PACKAGES or the unpacking changes


class Skip(HarnessError):
    """The server cannot be had here (no root, packages not fetched)."""


def installed(pkg):
    p = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL)
    return b"install ok installed" in p.stdout


def pkg_cache_dir(server, d):
    b = os.environ.get("top_builddir")
    base = os.path.join(os.path.abspath(b), "tests", "server") if b else d
    return os.path.join(base, "pkgroot-" + server)


def root_usable(root):
    try:
        with open(os.path.join(root, ".postie-root")) as f:
            return f.read().strip() == ROOT_FORMAT
    except OSError:
        return False


def apt_download(pkgs, where):
    def run():
        return subprocess.run(["apt-get", "download", "-q"] + pkgs,
                              cwd=where, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    p = run()
    if p.returncode != 0 and os.geteuid() == 0:
        # A fresh machine may have no package lists yet.
        subprocess.run(["apt-get", "update", "-qq"],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        p = run()
    if p.returncode != 0:
        raise Skip("apt-get download %s failed: %s" % (
            " ".join(pkgs), p.stdout.decode(errors="replace")[-400:]))


def pkg_root(server, d):
    """The unpacked root of server's packages; made once per cache folder
    (one maker at a time, as for the certificates), then reused."""
    def make(tmp):
        debs = os.path.join(tmp, "debs")
        os.mkdir(debs)
        os.chmod(tmp, 0o755)
        os.chmod(debs, 0o777)  # apt's _apt user writes there
        want = [p for p in PACKAGES[server]
                if p.startswith(server) or not installed(p)]
        apt_download(want, debs)
        for f in sorted(os.listdir(debs)):
            if f.endswith(".deb"):
                subprocess.run(["dpkg-deb", "-x", os.path.join(debs, f), tmp],
                               check=True, stdin=subprocess.DEVNULL)
        shutil.rmtree(debs)
        # Only /usr is laid over the system; /etc is written per run.
        os.makedirs(os.path.join(tmp, "usr"), exist_ok=True)
        empty = os.path.join(tmp, "etc.empty")
        os.mkdir(empty)
        probe(tmp, empty, server)
        os.rmdir(empty)
        with open(os.path.join(tmp, ".postie-root"), "w") as f:
            f.write(ROOT_FORMAT + "\n")
    return make_once(pkg_cache_dir(server, d), root_usable, make,
                     ".pkgroot.", wait=600, stale=300)


def ns_script(root, etc_layer, body, run_tmpfs=False, syslog=None):
    """sh code: the mounts of the private namespace, then body.  With
    syslog (a datagram socket's path), /dev is a private tmpfs holding
    the usual nodes and that socket as /dev/log: Cyrus and Courier log
    only to syslog, and a test machine may have none."""
    lines = [
        "set -e",
        "mount --make-rprivate / 2>/dev/null || true",
        "mount -t overlay postie-usr -o ro,lowerdir=%s:/usr /usr" %
        shlex.quote(os.path.join(root, "usr")),
        "mount -t overlay postie-etc -o ro,lowerdir=%s:/etc /etc" %
        shlex.quote(etc_layer),
    ]
    if run_tmpfs:
        lines.append("mount -t tmpfs -o mode=755 postie-run /run")
    if syslog:
        lines += [
            "mkdir -p /run/postie-dev",
            "mount --rbind /dev /run/postie-dev",
            "mount -t tmpfs -o mode=755 postie-dev /dev",
            "for n in null zero full random urandom tty; do "
            ": > /dev/$n; mount --bind /run/postie-dev/$n /dev/$n; done",
            "mkdir /dev/pts /dev/shm; chmod 1777 /dev/shm",
            "mount --rbind /run/postie-dev/pts /dev/pts",
            ": > /dev/log; mount --bind %s /dev/log" % shlex.quote(syslog),
            "umount -l /run/postie-dev",
        ]
    lines.append("set +e")
    lines.append(body)
    return "\n".join(lines)


def ns_argv(root, etc_layer, body, run_tmpfs=False, syslog=None):
    return ["unshare", "-m", "/bin/sh", "-c",
            ns_script(root, etc_layer, body, run_tmpfs, syslog)]


def spawn_syslog(d, st, h, sock, logpath):
    """A small syslog receiver (this file run as a script) writing the
    servers' messages to logpath; stopped with the server."""
    p = subprocess.Popen([sys.executable, os.path.realpath(__file__),
                          "syslog", sock, logpath],
                         stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True, close_fds=True)
    st["syslog_pid"] = str(p.pid)
    h.write_state(d, st)
    deadline = time.time() + 10
    while not os.path.exists(sock):
        if p.poll() is not None or time.time() > deadline:
            die("syslog receiver did not start")
        time.sleep(0.01)
    return p


def syslog_main(sock, logpath):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(sock + ".tmp")
    os.chmod(sock + ".tmp", 0o666)
    os.rename(sock + ".tmp", sock)
    with open(logpath, "ab", buffering=0) as out:
        while True:
            msg = s.recv(65536)
            # "<PRI>Mon DD HH:MM:SS tag[pid]: text": keep it, prefix time.
            out.write(time.strftime("%H:%M:%S ").encode() +
                      msg.split(b">", 1)[-1].rstrip(b"\0\n") + b"\n")


def ns_run(root, etc_layer, argv, what, env=None, input_=None):
    body = "exec " + " ".join(shlex.quote(a) for a in argv)
    p = subprocess.run(ns_argv(root, etc_layer, body), input=input_,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=env)
    if p.returncode != 0:
        die("%s failed (%d): %s" % (what, p.returncode,
                                    p.stdout.decode(errors="replace")[-600:]))
    return p.stdout


def probe(root, etc_layer, server):
    """Every binary loads (ldd inside the namespace): a clear reason if a
    library is missing instead of a server that dies at the first login."""
    body = "for b in %s; do ldd $b | grep 'not found' | sed \"s|^|$b: |\"; " \
        "done; true" % " ".join(PROBES[server])
    p = subprocess.run(ns_argv(root, etc_layer, body),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL)
    out = p.stdout.decode(errors="replace").strip()
    if p.returncode != 0 or out:
        die("%s binaries do not load from %s: %s" % (server, root, out))


def usable():
    """None if alternative servers can run here, else why not."""
    if os.geteuid() != 0:
        return "not root (needs a private mount namespace)"
    if not shutil.which("unshare") or not shutil.which("apt-get"):
        return "unshare or apt-get missing"
    return None


# ---------------------------------------------------------------- names

class FolderMap:
    """Fixture folder names (Dovecot's: "Work/Projects") to a server's.

    prefix: what personal folders other than INBOX start with ("" with
    Cyrus's altnamespace, "INBOX/" without it, "INBOX." for Courier);
    sep: the hierarchy separator."""

    def __init__(self, prefix, sep):
        self.prefix, self.sep = prefix, sep

    def name(self, mailbox):
        if mailbox == "INBOX":
            return mailbox
        return self.prefix + mailbox.replace("/", self.sep)


def imap_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


FLAG_LETTERS = {"S": "\\Seen", "F": "\\Flagged", "R": "\\Answered",
                "D": "\\Draft", "T": "\\Deleted"}
SPECIAL_USE = {"Sent": "\\Sent", "Drafts": "\\Drafts", "Trash": "\\Trash",
               "Junk": "\\Junk", "Archive": "\\Archive"}


def imap_ok(typ, data, what):
    if typ != "OK":
        die("%s: %s %r" % (what, typ, data))


def load_fixtures_imap(h, port, users, fmap, special_use):
    """APPEND every MANIFEST message as its user; folders (parents first)
    created and subscribed as load_fixtures does for Dovecot."""
    entries = h.read_manifest()
    for u in users:
        m = imaplib.IMAP4("127.0.0.1", port, timeout=30)
        try:
            imap_ok(*m.login(u, "pw-" + u), "login " + u)
            made = set()
            for user, mailbox, flags, fname in entries:
                if user != u:
                    continue
                parts = mailbox.split("/")
                for i in range(1, len(parts) + 1):
                    name = "/".join(parts[:i])
                    if name == "INBOX" or name in made:
                        continue
                    made.add(name)
                    q = mailbox_arg(h, fmap, name)
                    use = SPECIAL_USE.get(name) if special_use else None
                    typ, data = ("NO", None)
                    if use:
                        typ, data = m._simple_command(
                            "CREATE", q, "(USE (%s))" % use)
                    if typ != "OK":
                        typ, data = m._simple_command("CREATE", q)
                    imap_ok(typ, data, "CREATE %s" % q)
                    imap_ok(*m._simple_command("SUBSCRIBE", q),
                            "SUBSCRIBE %s" % q)
                if fname == "-":
                    continue
                with open(os.path.join(h.FIXTURES, fname), "rb") as f:
                    data = f.read()
                flist = " ".join(FLAG_LETTERS[c] for c in sorted(flags)
                                 if c in FLAG_LETTERS) if flags != "-" \
                    else ""
                when = fixture_date(data)
                box = mailbox_arg(h, fmap, mailbox)
                imap_ok(*m.append(box, "(%s)" % flist,
                                  imaplib.Time2Internaldate(when)
                                  if when else None,
                                  data.replace(b"\r\n", b"\n")
                                  .replace(b"\n", b"\r\n")),
                        "APPEND %s %s" % (mailbox, fname))
        finally:
            try:
                m.logout()
            except (OSError, imaplib.IMAP4.error):
                pass


def mailbox_arg(h, fmap, mailbox):
    name = fmap.name(mailbox)
    enc = "/".join(h.mutf7(p) for p in name.split("/")) if fmap.sep == "/" \
        else ".".join(h.mutf7(p) for p in name.split("."))
    return imap_quote(enc)


def fixture_date(data):
    import email.utils
    for line in data.split(b"\n"):
        if not line.strip():
            break
        if line.lower().startswith(b"date:"):
            try:
                return email.utils.parsedate_to_datetime(
                    line[5:].decode().strip())
            except (TypeError, ValueError):
                return None
    return None


def wait_greeting(port, proc, what, deadline=20.0):
    end = time.time() + deadline
    last = ""
    while time.time() < end:
        if proc.poll() is not None:
            die("%s exited (%d) before it listened" % (what,
                                                        proc.returncode))
        try:
            with socket.create_connection(("127.0.0.1", port), 2) as s:
                s.settimeout(5)
                buf = s.recv(4096)
                if buf.startswith(b"* OK") or buf.startswith(b"+OK"):
                    return
                last = repr(buf[:100])
        except OSError as e:
            last = str(e)
        time.sleep(0.05)
    die("%s did not greet on port %d (%s)" % (what, port, last))


def mntns_of(pid):
    try:
        return os.readlink("/proc/%d/ns/mnt" % pid)
    except OSError:
        return None


def ns_members(ns):
    """Processes in the mount namespace ns (as mntns_of names it)."""
    return [int(n) for n in os.listdir("/proc")
            if n.isdigit() and int(n) != os.getpid() and
            mntns_of(int(n)) == ns]


def note_ns(h, d, st, p):
    """Record p's private mount namespace once unshare has made it."""
    mine = mntns_of(os.getpid())
    deadline = time.time() + 10
    while time.time() < deadline and p.poll() is None:
        ns = mntns_of(p.pid)
        if ns and ns != mine:
            st["alt_mntns"] = ns
            h.write_state(d, st)
            return
        time.sleep(0.01)


def spawn(argv, logpath):
    with open(logpath, "ab") as log:
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, close_fds=True)


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


# ---------------------------------------------------------------- Cyrus

CYRUS_ADMIN = "cyrus"
CYRUS_ADMIN_PW = "pw-cyrus-admin"


def cyrus_start(h, d, st, rundir, certdir, users, ports, root, altns):
    c = os.path.join(rundir, "cyrus")
    if os.path.exists(c):
        shutil.rmtree(c)
    # What Debian's postinst (mkimap) makes under configdirectory.
    for sub in ("spool", "sieve", "socket", "etc") + tuple(
            "config/" + n for n in ("db", "socket", "proc", "log", "msg",
                                    "user", "quota", "lock", "ptclient")):
        os.makedirs(os.path.join(c, sub))
    os.chmod(rundir, os.stat(rundir).st_mode | 0o711)
    sasldb = os.path.join(c, "config", "sasldb2")
    conf = os.path.join(c, "imapd.conf")
    write(conf, "\n".join([
        "configdirectory: %s/config" % c,
        "defaultpartition: default",
        "partition-default: %s/spool" % c,
        "sievedir: %s/sieve" % c,
        "servername: localhost",
        "admins: " + CYRUS_ADMIN,
        "cyrus_user: nobody",
        "cyrus_group: nogroup",
        "sasl_pwcheck_method: auxprop",
        "sasl_auxprop_plugin: sasldb",
        "sasl_sasldb_path: " + sasldb,
        "sasl_mech_list: PLAIN LOGIN",
        "allowplaintext: yes",
        # Refused logins answered at once, as the harness's Dovecot does.
        "failedloginpause: 0",
        "unixhierarchysep: yes",
        "altnamespace: %s" % ("yes" if altns else "no"),
        "tls_server_cert: %s/server.pem" % c,
        "tls_server_key: %s/server.key" % c,
        "tls_versions: tls1_2 tls1_3",
        "lmtpsocket: %s/socket/lmtp" % c,
        "idlesocket: %s/socket/idle" % c,
        "notifysocket: %s/socket/notify" % c,
        "syslog_prefix: postie-cyrus",
        "lmtp_downcase_rcpt: yes",
        "specialusealways: yes",
        "",
    ]))
    cconf = os.path.join(c, "cyrus.conf")
    bindir = "/usr/lib/cyrus/bin"

    def svc(name, cmd, listen):
        return '  %s cmd="%s/%s -C %s" listen="%s" prefork=0' % (
            name, bindir, cmd, conf, listen)
    write(cconf, "\n".join([
        "START {",
        '  recover cmd="%s/ctl_cyrusdb -C %s -r"' % (bindir, conf),
        "}",
        "SERVICES {",
        svc("imap", "imapd", "127.0.0.1:%d" % ports[0]),
        svc("imaps", "imapd -s", "127.0.0.1:%d" % ports[1]),
        svc("pop3", "pop3d", "127.0.0.1:%d" % ports[2]),
        svc("pop3s", "pop3d -s", "127.0.0.1:%d" % ports[3]),
        svc("lmtpunix", "lmtpd", "%s/socket/lmtp" % c),
        "}",
        "EVENTS {",
        "}",
        "DAEMON {",
        '  idled cmd="%s/idled -C %s"' % (bindir, conf),
        "}",
        "",
    ]))
    etc = os.path.join(c, "etc")
    # imapd reads them as nobody: private copies it owns.
    for n in ("server.pem", "server.key"):
        shutil.copyfile(os.path.join(certdir, n), os.path.join(c, n))
    # One namespace for every user: saslpasswd2 -p reads the password.
    ns_run(root, etc, ["/bin/sh", "-c", "; ".join(
        "echo %s | /usr/sbin/saslpasswd2 -p -c -f %s -u localhost %s || "
        "exit 1" % (shlex.quote(pw), shlex.quote(sasldb), u)
        for u, pw in [(u, "pw-" + u) for u in users] +
        [(CYRUS_ADMIN, CYRUS_ADMIN_PW)])], "saslpasswd2")
    h.chown_tree(c, 65534, 65534)
    os.chmod(sasldb, 0o640)
    log = os.path.join(rundir, "cyrus.log")
    logsock = os.path.join(c, "socket", "log")
    spawn_syslog(d, st, h, logsock, log)
    # master in the foreground (no -d): its pid is the one spawned, and it
    # leads the session that stop signals.
    p = spawn(ns_argv(root, etc, "exec %s/master -C %s -M %s -p %s/master.pid"
                      % (bindir, conf, cconf, c), syslog=logsock), log)
    st["alt_pid"] = str(p.pid)
    h.write_state(d, st)
    note_ns(h, d, st, p)
    wait_greeting(ports[0], p, "Cyrus master")
    m = imaplib.IMAP4("127.0.0.1", ports[0], timeout=30)
    try:
        imap_ok(*m.login(CYRUS_ADMIN, CYRUS_ADMIN_PW), "admin login")
        for u in users:
            imap_ok(*m.create("user/" + u), "CREATE user/" + u)
    finally:
        m.logout()
    fmap = FolderMap("" if altns else "INBOX/", "/")
    load_fixtures_imap(h, ports[0], users, fmap, True)
    return fmap


def cyrus_deliver(env, user, data):
    """INBOX delivery through Cyrus's own LMTP socket, as Postfix would."""
    sock = env["POSTIE_TEST_LMTP_SOCKET"]
    with smtplib.LMTP(sock) as s:
        s.sendmail("postie-deliver@localhost", [user],
                   data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    return "lmtp:%s" % user


def imap_deliver(h, env, user, data, mailbox, flags):
    """Any other mailbox, or with flags: APPEND as the user."""
    fmap = FolderMap(env["POSTIE_TEST_FOLDER_PREFIX"],
                     env["POSTIE_TEST_SEPARATOR"])
    m = imaplib.IMAP4("127.0.0.1", int(env["POSTIE_TEST_IMAP_PORT"]),
                      timeout=30)
    try:
        imap_ok(*m.login(user, env["POSTIE_TEST_PASSWORD_" + user]),
                "login")
        flist = " ".join(FLAG_LETTERS[c] for c in sorted(flags)
                         if c in FLAG_LETTERS)
        imap_ok(*m.append(mailbox_arg(h, fmap, mailbox), "(%s)" % flist,
                          None, data.replace(b"\r\n", b"\n")
                          .replace(b"\n", b"\r\n")), "APPEND")
    finally:
        m.logout()
    return "imap:%s/%s" % (user, mailbox)


# ---------------------------------------------------------------- Courier

def courier_env(root, extra):
    """The package's own settings (as its init scripts source them), then
    the harness's."""
    files = [os.path.join(root, "etc", "courier", n)
             for n in ("imapd", "imapd-ssl", "pop3d", "pop3d-ssl")]
    p = subprocess.run(["env", "-i", "/bin/sh", "-c",
                        "set -a; " + "; ".join(". " + shlex.quote(f)
                                               for f in files)
                        + "; exec env -0"],
                       stdout=subprocess.PIPE, check=True)
    env = {}
    for item in p.stdout.split(b"\0"):
        k, sep, v = item.decode(errors="replace").partition("=")
        if sep and k not in ("PWD", "SHLVL", "_"):
            env[k] = v
    env.update(extra)
    return env


def courier_start(h, d, st, rundir, certdir, users, ports, root):
    c = os.path.join(rundir, "courier")
    if os.path.exists(c):
        shutil.rmtree(c)
    etc = os.path.join(c, "etc")
    cetc = os.path.join(etc, "courier")
    home = os.path.join(c, "home")
    for p in (cetc, home, os.path.join(c, "state")):
        os.makedirs(p)
    os.chmod(rundir, os.stat(rundir).st_mode | 0o711)
    os.chmod(c, 0o755)
    os.chmod(home, 0o755)
    # Courier's mail uid needs a passwd entry: nobody has one.
    uid, gid = 65534, 65534
    write(os.path.join(cetc, "authdaemonrc"), "\n".join([
        'authmodulelist="authuserdb"',
        'authmodulelistorig="authuserdb"',
        "daemons=2",
        "authdaemonvar=/run/courier/authdaemon",
        "DEBUG_LOGIN=0",
        'DEFAULTOPTIONS=""',
        "LOGGEROPTS=\"\"",
        "",
    ]))
    # The package's postinst makes a "courier" user, which couriertls
    # switches to after STARTTLS: here it is nobody again, in the private
    # /etc layer only.
    for n, line in (("passwd", "courier:x:65534:65534:Courier:/nonexistent:"
                     "/usr/sbin/nologin"), ("group", "courier:x:65534:")):
        with open("/etc/" + n) as f:
            text = f.read()
        write(os.path.join(etc, n), text.rstrip("\n") + "\n" + line + "\n")
    lines = []
    maildirs = {}
    for u in users:
        hu = os.path.join(home, u)
        maildirs[u] = os.path.join(hu, "Maildir")
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(maildirs[u], sub))
        pw = subprocess.run(["openssl", "passwd", "-6", "pw-" + u],
                            stdout=subprocess.PIPE, check=True
                            ).stdout.decode().strip()
        lines.append("%s\tuid=%d|gid=%d|home=%s|mail=%s|systempw=%s" % (
            u, uid, gid, hu, maildirs[u], pw))
    userdb = os.path.join(cetc, "userdb")
    write(userdb, "\n".join(lines) + "\n", 0o600)
    ns_run(root, etc, ["/usr/sbin/makeuserdb", "-f", userdb], "makeuserdb")
    for u in users:
        h.chown_tree(os.path.join(home, u), uid, gid)
    # couriertls wants key and certificate in one file.
    pem = os.path.join(cetc, "server.pem")
    with open(pem, "w") as out:
        for n in ("server.key", "server.pem"):
            with open(os.path.join(certdir, n)) as f:
                out.write(f.read())
    os.chmod(pem, 0o600)
    os.chown(pem, uid, gid)  # STARTTLS's couriertls runs as "courier"
    write(os.path.join(cetc, "imapaccess"), "")
    state = os.path.join(c, "state")
    # couriertls writes its session cache as "courier" after STARTTLS.
    write(os.path.join(state, "tlscache"), "", 0o600)
    h.chown_tree(state, uid, gid)
    dh = "/usr/share/dovecot/dh.pem"
    common = {
        "TLS_CERTFILE": pem,
        "TLS_PROTOCOL": "TLS1_2+",
        "TLS_STARTTLS_PROTOCOL": "TLS1_2+",
        "TLS_VERIFYPEER": "NONE",
        "TLS_CACHEFILE": os.path.join(state, "tlscache"),
        "TLS_DHPARAMS": dh if os.path.exists(dh) else "",
        "COURIERTLS": "/usr/bin/couriertls",
        "MAILDIRPATH": "Maildir",
        # IDLE polls the folder every 2 s rather than through gamin
        # (FAM): on a loaded machine FAM did not answer ("FAMPending:
        # timeout" in the log) and news then never came while the
        # tests waited.  IMAP_IDLE_TIMEOUT is 60 s by default.
        "IMAP_ENHANCEDIDLE": "0",
        "IMAP_IDLE_TIMEOUT": "2",
        "IMAP_EMPTYTRASH": "",
        "IMAP_STARTTLS": "YES",
        "POP3_STARTTLS": "YES",
        "IMAP_TLS_REQUIRED": "0",
        "POP3_TLS_REQUIRED": "0",
        "IMAP_ULIMITD": "",
        "PATH": "/usr/bin:/bin:/usr/sbin:/sbin",
    }
    env = courier_env(root, common)
    tcpd = "/usr/sbin/couriertcpd -address=127.0.0.1 -maxprocs=40 " \
        "-maxperip=40 -nodnslookup -noidentlookup"
    imap = "/usr/lib/courier/courier/imaplogin /usr/bin/imapd Maildir"
    pop = "/usr/lib/courier/courier/courierpop3login " \
        "/usr/lib/courier/courier/courierpop3d Maildir"
    tls = "/usr/bin/couriertls -server -tcpd"
    body = "\n".join([
        # Reap the listeners when stop signals the session.
        "trap 'kill $(jobs -p) 2>/dev/null; wait; exit 0' TERM",
        "mkdir -p /run/courier/authdaemon",
        "/usr/lib/courier/courier-authlib/authdaemond &",
        "i=0; while [ ! -S /run/courier/authdaemon/socket ] && "
        "[ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done",
        "%s %d %s &" % (tcpd, ports[0], imap),
        "IMAP_TLS=1 IMAP_STARTTLS=NO %s %d %s %s &" % (tcpd, ports[1],
                                                       tls, imap),
        "%s %d %s &" % (tcpd, ports[2], pop),
        "POP3_TLS=1 POP3_STARTTLS=NO %s %d %s %s &" % (tcpd, ports[3],
                                                       tls, pop),
        "wait",
    ])
    log = os.path.join(rundir, "courier.log")
    logsock = os.path.join(state, "log")
    spawn_syslog(d, st, h, logsock, log)
    with open(log, "ab") as logf:
        p = subprocess.Popen(ns_argv(root, etc, body, run_tmpfs=True,
                                     syslog=logsock),
                             stdin=subprocess.DEVNULL, stdout=logf,
                             stderr=subprocess.STDOUT, env=env,
                             start_new_session=True, close_fds=True)
    st["alt_pid"] = str(p.pid)
    h.write_state(d, st)
    note_ns(h, d, st, p)
    wait_greeting(ports[0], p, "Courier IMAP")
    wait_greeting(ports[2], p, "Courier POP3")
    fmap = FolderMap("INBOX.", ".")
    load_fixtures_imap(h, ports[0], users, fmap, False)
    return fmap, maildirs


def courier_mailbox_dir(maildir, mailbox, mutf7):
    """Maildir++: INBOX.Work.Projects is the folder .Work.Projects."""
    if mailbox == "INBOX":
        return maildir
    return os.path.join(maildir, "." + ".".join(
        mutf7(p) for p in mailbox.split("/")))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "syslog":
        syslog_main(sys.argv[2], sys.argv[3])
