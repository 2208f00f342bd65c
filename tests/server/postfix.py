"""The harness's private Postfix (tests/server/README.md, "Postfix").

A Postfix instance of its own (postfix -c RUNDIR/postfix/etc): its own
main.cf, master.cf, queue and data folders, two submission listeners on
free loopback ports (STARTTLS required; implicit TLS), SASL through the
harness Dovecot's auth socket and delivery over LMTP into its users.
Postfix's master must start as root; without root (or without the
package) the harness runs without it and says so in DIR/env.
"""

import os
import grp
import pwd
import shutil
import subprocess
import tempfile
import time

from certs import die

HERE = os.path.dirname(os.path.realpath(__file__))
MAIN_TEMPLATE = os.path.join(HERE, "postfix-main.cf.in")
MASTER_TEMPLATE = os.path.join(HERE, "postfix-master.cf.in")
# Postfix's own default is 10240000; the tests' is small enough to exceed
# cheaply and large enough for any test message.
SIZE_LIMIT = 1048576
DOMAIN = "example.org"


def binary():
    path = os.environ.get("PATH", "") + ":/usr/sbin:/usr/local/sbin:/sbin"
    return shutil.which("postfix", path=path)


def usable():
    """None if the harness can run Postfix, else why not."""
    if os.environ.get("POSTIE_TEST_NO_POSTFIX") == "1":
        return "POSTIE_TEST_NO_POSTFIX=1"
    if os.geteuid() != 0:
        return "not root (Postfix's master must start as root)"
    if binary() is None:
        return "postfix is not installed"
    try:
        pwd.getpwnam("postfix")
    except KeyError:
        return "no user postfix"
    return None


def user():
    """The user Dovecot's sockets for Postfix belong to."""
    if usable() is None:
        return "postfix"
    return pwd.getpwuid(os.getuid()).pw_name


def uid_gid():
    pw = pwd.getpwnam("postfix")
    return pw.pw_uid, pw.pw_gid


def fill(template, subst):
    with open(template) as f:
        text = f.read()
    for k, v in subst.items():
        text = text.replace("@%s@" % k, str(v))
    return text


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def log_tail(pfdir, lines=30):
    try:
        with open(os.path.join(pfdir, "postfix.log"), errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return "(no Postfix log)\n"


def master_pid(pfdir):
    try:
        with open(os.path.join(pfdir, "queue", "pid", "master.pid")) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def run(argv):
    # A file, not a pipe: the daemon keeps inherited descriptors open.
    with tempfile.TemporaryFile() as outf:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=outf,
                           stderr=subprocess.STDOUT)
        outf.seek(0)
        return p.returncode, outf.read().decode(errors="replace")


def explain(conf):
    """What `postfix check` says about conf.  Postfix writes to stderr only
    when it is a terminal (else only to its log, which is not up before
    the master runs): give it a pseudo-terminal."""
    import pty
    master, slave = pty.openpty()
    try:
        subprocess.run([binary(), "-c", conf, "check"],
                       stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
                       timeout=60)
    except subprocess.TimeoutExpired:
        pass
    finally:
        os.close(slave)
    out = b""
    try:
        while len(out) < 65536:
            chunk = os.read(master, 4096)
            if not chunk:
                break
            out += chunk
    except OSError:  # EIO once the terminal's last writer is gone
        pass
    os.close(master)
    return out.decode(errors="replace").replace("\r\n", "\n")


def meta_directory():
    if os.path.exists("/etc/postfix/postfix-files"):
        return "/etc/postfix"
    return subprocess.run([os.path.join(os.path.dirname(binary()),
                                        "postconf"), "-dh", "meta_directory"],
                          capture_output=True, text=True).stdout.strip()


def make_dirs(queue, data):
    """The queue and data folders, as the package's postfix-files lists
    them (owner, group, mode).  `postfix start` would make them itself,
    with an integrity check of the whole installation that takes seconds
    on a busy machine; the harness skips it (a quick-start file) and
    leaves it to `postfix check` when a start fails."""
    names = {"$queue_directory": queue, "$data_directory": data}
    pf_uid, _ = uid_gid()
    ids = {"root": 0, "$mail_owner": pf_uid,
           "$setgid_group": grp.getgrnam("postdrop").gr_gid}
    with open(os.path.join(meta_directory(), "postfix-files")) as f:
        for line in f:
            fields = line.rstrip("\n").split(":")
            if len(fields) < 5 or fields[1] != "d":
                continue
            top, _, rest = fields[0].partition("/")
            if top not in names:
                continue
            path = os.path.join(names[top], rest) if rest else names[top]
            os.makedirs(path, exist_ok=True)
            os.chown(path, ids[fields[2]], ids[fields[3]] if
                     fields[3] != "-" else -1)
            os.chmod(path, int(fields[4], 8))
    open(os.path.join(queue, "quick-start"), "w").close()


def prepare(rundir, certdir, users, ports, instance, extra=""):
    """Writes the instance's folders and configuration; returns its
    config directory."""
    pfdir = os.path.join(rundir, "postfix")
    if os.path.exists(pfdir):
        shutil.rmtree(pfdir)
    conf = os.path.join(pfdir, "etc")
    queue = os.path.join(pfdir, "queue")
    data = os.path.join(pfdir, "data")
    # Postfix wants its configuration owned by root and writable by
    # nobody else.
    for p in (pfdir, conf):
        os.mkdir(p)
        os.chmod(p, 0o755)
    make_dirs(queue, data)
    subst = {
        "PFDIR": pfdir,
        "PFCONF": conf,
        "RUNDIR": rundir,
        "CERTDIR": certdir,
        "INSTANCE": instance,
        "HOST": "127.0.0.1",
        "SUBMISSION_PORT": ports[0],
        "SMTPS_PORT": ports[1],
        "SIZE_LIMIT": SIZE_LIMIT,
        "EXTRA": extra,
    }
    write(os.path.join(conf, "main.cf"), fill(MAIN_TEMPLATE, subst))
    write(os.path.join(conf, "master.cf"), fill(MASTER_TEMPLATE, subst))
    write(os.path.join(conf, "vmailbox"), "".join(
        "%s@%s %s/\n" % (u, DOMAIN, u) for u in users))
    write(os.path.join(conf, "senders"), "".join(
        "%s@%s %s\n" % (u, DOMAIN, u) for u in users))
    return conf


class Start:
    """Starts the instance in two steps, so that the caller can start
    Dovecot in between (Postfix needs its sockets only once mail flows):
    begin() writes the configuration and runs `postfix start` in the
    background; finish() waits for it and for the submission greeting,
    and returns the ports (submission, smtps)."""

    def __init__(self, d, st, procs, rundir, certdir, users, avoid):
        self.d, self.st, self.procs = d, st, procs
        self.rundir, self.certdir, self.users = rundir, certdir, users
        self.avoid = set(avoid)
        self.pfdir = os.path.join(rundir, "postfix")
        self.extra = os.environ.get("POSTIE_TEST_POSTFIX_EXTRA", "")
        self.proc = self.outf = None
        self.ports = self.conf = None

    def begin(self):
        self.ports = self.procs.free_ports(2, self.avoid)
        self.conf = prepare(self.rundir, self.certdir, self.users,
                            self.ports, str(os.getpid()), self.extra)
        self.st["postfix_conf"] = self.conf
        self.st["postfix_dir"] = self.pfdir
        self.procs.write_state(self.d, self.st)
        # A file, not a pipe: the daemon keeps inherited descriptors open.
        self.outf = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([binary(), "-c", self.conf, "start"],
                                     stdin=subprocess.DEVNULL,
                                     stdout=self.outf,
                                     stderr=subprocess.STDOUT)
        return self.ports

    def _wait(self):
        rc = self.proc.wait()
        self.outf.seek(0)
        out = self.outf.read().decode(errors="replace")
        self.outf.close()
        deadline = time.time() + 10
        pid = master_pid(self.pfdir)
        while rc == 0 and pid is None and time.time() < deadline:
            time.sleep(0.02)
            pid = master_pid(self.pfdir)
        if pid:
            self.st["postfix_pid"] = str(pid)
            self.procs.write_state(self.d, self.st)
        return rc == 0 and pid is not None, out

    def settle(self):
        """After a failure elsewhere: lets `postfix start` end, so that
        stop finds the master it may have started."""
        if self.proc and self.proc.poll() is None:
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if master_pid(self.pfdir):
            self.st["postfix_pid"] = str(master_pid(self.pfdir))
            self.procs.write_state(self.d, self.st)

    def finish(self, avoid=(), tries=5):
        self.avoid |= set(avoid)
        for _ in range(tries):
            ok, out = self._wait()
            if ok:
                # `postfix start` waits for the master (master -w), and the
                # master listens before it reports success: clients that
                # connect now are served once smtpd has started.
                return self.ports
            stop(self.st, self.procs)
            if "in use" not in out + log_tail(self.pfdir):
                break
            self.avoid |= set(self.ports)
            self.begin()
        die("postfix -c %s start failed:\n%s%s%s" % (
            self.conf, out, explain(self.conf), log_tail(self.pfdir)))


def stop(st, procs):
    """Stops the instance st names (procs: the harness's process helpers,
    kill_and_wait, proc_alive, proc_cmdline, session_members); returns the
    pids still alive."""
    conf = st.get("postfix_conf")
    pfdir = st.get("postfix_dir")
    pid = int(st["postfix_pid"]) if st.get("postfix_pid") else None
    if pid is None and pfdir:
        pid = master_pid(pfdir)
    if pid is None:
        return []
    if procs.proc_alive(pid) and "master" in procs.proc_cmdline(pid):
        # "abort" stops at once, without waiting for deliveries.
        if conf and os.path.exists(os.path.join(conf, "main.cf")):
            run([binary(), "-c", conf, "abort"])
        procs.kill_and_wait(pid)
    # master leads its own session: catch any child that outlives it.
    deadline = time.time() + 3
    while procs.session_members(pid) and time.time() < deadline:
        time.sleep(0.01)
    for c in procs.session_members(pid):
        procs.kill_and_wait(c, 1.0)
    return [p for p in [pid] + procs.session_members(pid)
            if procs.proc_alive(p)]
