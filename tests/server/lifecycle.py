#!/usr/bin/env python3
"""Lifecycle test of the harness: start/stop leave no process behind, also
after a failed start; with-dovecot passes the status on and cleans up.
Prints one line per check and "N passed, N failed"; exits 1 on failure.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.realpath(__file__))
HARNESS = os.path.join(HERE, "harness")
WITH = os.path.join(HERE, "with-dovecot")
PY = sys.executable
passed, failed = 0, 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok - %s" % name)
    else:
        failed += 1
        print("FAIL - %s%s" % (name, ("\n    " + detail.replace(
            "\n", "\n    ")) if detail else ""))


def harness(*args, env=None):
    return subprocess.run([PY, HARNESS] + list(args), env=env,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=120)


def stat_fields(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def alive(pid):
    f = stat_fields(pid)
    return f is not None and f[0] not in ("Z", "X")


def procs_mentioning(text):
    """Live processes whose command line contains text."""
    found = []
    for n in os.listdir("/proc"):
        if not n.isdigit() or int(n) == os.getpid():
            continue
        try:
            with open("/proc/%s/cmdline" % n, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmd and alive(int(n)):
            found.append((int(n), cmd))
    return found


def session_of(sid):
    out = []
    for n in os.listdir("/proc"):
        if n.isdigit():
            f = stat_fields(int(n))
            if f and int(f[3]) == sid and f[0] not in ("Z", "X"):
                out.append(int(n))
    return out


def read_state(d):
    st = {}
    with open(os.path.join(d, "harness.state")) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            st[k] = v
    return st


def main():
    top = tempfile.mkdtemp(prefix="postie-lc.")
    os.chmod(top, 0o755)
    try:
        d = os.path.join(top, "h")
        r = harness("start", d)
        check("start succeeds and prints nothing",
              r.returncode == 0 and not r.stdout and not r.stderr,
              r.stderr.decode(errors="replace"))
        st = read_state(d) if r.returncode == 0 else {}
        dpid = int(st.get("dovecot_pid", "0"))
        bpid = int(st.get("badtls_pid", "0"))
        members = session_of(dpid) if dpid else []
        check("Dovecot and the listeners run",
              dpid and alive(dpid) and bpid and alive(bpid)
              and len(members) > 1, repr(st))
        ppid = int(st.get("postfix_pid", "0"))
        pmembers = session_of(ppid) if ppid else []
        if os.geteuid() == 0:
            check("Postfix runs, in its own session",
                  ppid and alive(ppid) and len(pmembers) > 1, repr(st))
            members += [ppid] + pmembers
        r = harness("stop", d)
        check("stop succeeds", r.returncode == 0,
              r.stderr.decode(errors="replace"))
        left = [p for p in [dpid, bpid] + members if p and alive(p)]
        check("stop leaves no process behind", not left, repr(left))
        check("nothing mentions DIR any more", not procs_mentioning(d),
              repr(procs_mentioning(d)))
        r = harness("stop", d)
        check("a second stop is harmless", r.returncode == 0)

        env = dict(os.environ,
                   POSTIE_TEST_DOVECOT_EXTRA="no_such_setting = 1")
        d2 = os.path.join(top, "bad")
        r = harness("start", d2, env=env)
        err = r.stderr.decode(errors="replace")
        check("a failed start exits 1 and says why",
              r.returncode == 1 and "no_such_setting" in err, err)
        check("a failed start leaves no process behind",
              not procs_mentioning(d2), repr(procs_mentioning(d2)))
        r = harness("stop", d2)
        check("stop after a failed start is harmless", r.returncode == 0)

        if os.geteuid() == 0:
            env = dict(os.environ,
                       POSTIE_TEST_POSTFIX_EXTRA="mail_owner = no-such-user")
            d3 = os.path.join(top, "badpf")
            r = harness("start", d3, env=env)
            err = r.stderr.decode(errors="replace")
            check("a failed Postfix start exits 1 and says why",
                  r.returncode == 1 and "no-such-user" in err, err)
            check("... and stops the Dovecot it had started",
                  not procs_mentioning(d3), repr(procs_mentioning(d3)))

        tmp = os.path.join(top, "tmp")
        os.mkdir(tmp)
        script = os.path.join(top, "script.sh")
        with open(script, "w") as f:
            f.write('test -n "$POSTIE_TEST_IMAPS_PORT" || exit 9\n'
                    'read line; test "$line" = hello || exit 8\n'
                    'echo "$POSTIE_TEST_DIR" > "%s/dir"\n'
                    'exit 3\n' % top)
        env = dict(os.environ, TMPDIR=tmp)
        r = subprocess.run(["sh", WITH, script], env=env, input=b"hello\n",
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=120)
        check("with-dovecot exports the variables, passes stdin and "
              "returns the script's status", r.returncode == 3,
              "exit %d\n%s" % (r.returncode,
                               r.stderr.decode(errors="replace")))
        check("with-dovecot shows the Dovecot log of a failed script",
              b"Dovecot log" in r.stderr)
        script3 = os.path.join(top, "script3.sh")
        with open(script3, "w") as f:
            f.write("exit 4\n")
        r = subprocess.run(["sh", "-c", 'exec sh "$0" "$1" <&-', WITH,
                            script3], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120)
        check("with-dovecot works with stdin closed", r.returncode == 4,
              "exit %d\n%s" % (r.returncode,
                               r.stderr.decode(errors="replace")))
        check("with-dovecot removes its folder", os.listdir(tmp) == [],
              repr(os.listdir(tmp)))
        check("with-dovecot leaves no process behind",
              not procs_mentioning(tmp), repr(procs_mentioning(tmp)))

        # with-dovecot killed outright: the listeners' watchdog stops all.
        tmp2 = os.path.join(top, "tmp2")
        os.mkdir(tmp2)
        script2 = os.path.join(top, "script2.sh")
        pidfile = os.path.join(top, "script2.pid")
        with open(script2, "w") as f:
            f.write('echo $$ > "%s.tmp"; mv "%s.tmp" "%s"; exec sleep 60\n'
                    % (pidfile, pidfile, pidfile))
        env = dict(os.environ, TMPDIR=tmp2)
        w = subprocess.Popen(["sh", WITH, script2], env=env,
                             stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while not os.path.exists(pidfile) and time.time() < deadline:
            time.sleep(0.05)
        running = bool(procs_mentioning(tmp2))
        w.kill()
        w.wait()
        deadline = time.time() + 15
        while procs_mentioning(tmp2) and time.time() < deadline:
            time.sleep(0.1)
        check("after with-dovecot is killed (SIGKILL) the harness stops "
              "itself", running and not procs_mentioning(tmp2),
              "running before: %s; left: %r" % (running,
                                                procs_mentioning(tmp2)))
        try:
            with open(pidfile) as f:
                os.kill(int(f.read()), signal.SIGTERM)
        except (OSError, ValueError):
            pass
    finally:
        for sub in ("h", "bad", "badpf"):
            harness("stop", os.path.join(top, sub))
        shutil.rmtree(top, ignore_errors=True)
    print("harness lifecycle: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
