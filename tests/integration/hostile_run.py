#!/usr/bin/env python3
"""Runs postie against each hostile-server scenario and checks what it did.

hostile_run.py [SCENARIO...]   (default: tests/server/scenarios/*.scn)

Needs the harness environment (run under tests/server/with-dovecot) and
$POSTIE.  For each scenario: start tests/server/hostile.py, write a config
whose account "evil" points at it, run `postie sync evil` (bounded in
time), then `postie folders evil` and `postie list evil`, and check the
scenario's expectations:

  expect-exit: ok | fail          status of `postie sync`
  expect-stderr: REGEX            must match what sync printed on stderr
  forbid-stderr: REGEX            must not match it
  forbid-stderr-bytes: REGEX      bytes regex over sync's stdout + stderr
  forbid-sent: REGEX              must not match the transcript of what
                                  postie sent ("plain: LINE" / "tls: LINE")
  expect-stored: REGEX            must match `postie list` + `folders`
  forbid-stored: REGEX            must not match them (nor the Maildir)
  forbid-stored-bytes: REGEX      bytes regex over the same
  expect-no-file-outside: yes     no file named like the attack anywhere
                                  outside postie's own folders
  expect-within: SECONDS          sync must end within (default 60)

Whatever the scenario, postie must not crash (no signal, no sanitizer
report) and must not hang.
"""
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SRC = os.environ.get("top_srcdir") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
POSTIE = os.environ["POSTIE"]
HOSTILE = os.path.join(SRC, "tests", "server", "hostile.py")


def load(path):
    sc = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.lstrip().startswith("#"):
                k, _, v = line.rstrip("\n").partition(":")
                sc[k.strip()] = v.strip()
    return sc


def certdir():
    out = subprocess.run([os.path.join(SRC, "tests", "server", "harness"), "certs",
                          os.environ["POSTIE_TEST_DIR"]], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def fingerprint(pem):
    der = subprocess.run(["openssl", "x509", "-in", pem, "-outform", "DER"], capture_output=True,
                         check=True).stdout
    import hashlib
    return hashlib.sha256(der).hexdigest()


def run_one(path, certs):
    name = os.path.basename(path)[:-4]
    sc = load(path)
    work = tempfile.mkdtemp(prefix="postie-hostile.")
    os.chmod(work, 0o755)
    portfile = os.path.join(work, "port")
    transcript = os.path.join(work, "transcript")
    open(transcript, "wb").close()
    proto = sc.get("protocol", "imap")
    env = dict(os.environ)
    env["PROXY_PORT"] = os.environ["POSTIE_TEST_IMAP_PORT" if proto == "imap" else "POSTIE_TEST_POP3_PORT"]
    srv = subprocess.Popen([sys.executable, HOSTILE, path, certs, portfile, transcript], env=env,
                           stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "server.log"), "wb"))
    problems = []
    try:
        for _ in range(100):
            if os.path.exists(portfile):
                break
            time.sleep(0.05)
        port = open(portfile).read().strip()
        home = os.path.join(work, "home")
        penv = dict(os.environ)
        for k, d in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
            penv[k] = os.path.join(home, d)
        os.makedirs(penv["XDG_CONFIG_HOME"])
        cfg = os.path.join(penv["XDG_CONFIG_HOME"], "config")
        user, pw = ("alice", "pw-alice") if proto == "imap" else ("bob", "pw-bob")
        with open(cfg, "w") as f:
            f.write("[account evil]\nprotocol = %s\nhost = %s\nport = %s\ntls = %s\nuser = %s\n"
                    "password_command = echo %s\nca_file = %s\ntimeout = 3\n" % (
                        proto, os.environ["POSTIE_TEST_NAME"], port, sc.get("client-tls", "implicit"),
                        user, pw, os.environ["POSTIE_TEST_CA"]))
            if sc.get("client-pin") == "selfsigned":
                f.write("tls_fingerprint = sha256:%s\n" % fingerprint(os.path.join(certs, "selfsigned.pem")))
            if proto == "pop3":
                f.write("keep_on_server = no\n")
        os.chmod(cfg, 0o600)
        limit = float(sc.get("expect-within", "60"))
        t0 = time.monotonic()
        try:
            p = subprocess.run([POSTIE, "-c", cfg, "sync", "evil"], env=penv, capture_output=True,
                               timeout=limit + 5)
        except subprocess.TimeoutExpired:
            problems.append("postie sync still running after %.0f s" % (limit + 5))
            return name, problems, ""
        took = time.monotonic() - t0
        err = p.stderr.decode("utf-8", "replace")
        out_bytes = p.stdout + p.stderr
        if p.returncode < 0 or p.returncode >= 128 or b"Sanitizer" in p.stderr or b"runtime error" in p.stderr:
            problems.append("postie crashed (status %d)" % p.returncode)
        if took > limit:
            problems.append("sync took %.1f s, more than %s" % (took, limit))
        want = sc.get("expect-exit")
        if want == "ok" and p.returncode != 0:
            problems.append("sync failed but should have worked")
        if want == "fail" and p.returncode == 0:
            problems.append("sync succeeded but should have refused")
        if "expect-stderr" in sc and not re.search(sc["expect-stderr"], err):
            problems.append("stderr lacks /%s/" % sc["expect-stderr"])
        if "forbid-stderr" in sc and re.search(sc["forbid-stderr"], err):
            problems.append("stderr shows /%s/" % sc["forbid-stderr"])
        if "forbid-stderr-bytes" in sc and re.search(sc["forbid-stderr-bytes"].encode().decode("unicode_escape").encode("latin-1"), out_bytes):
            problems.append("output carries forbidden bytes /%s/" % sc["forbid-stderr-bytes"])
        srv.wait(timeout=15)
        sent = open(transcript, "rb").read().decode("latin-1")
        if "forbid-sent" in sc and re.search(sc["forbid-sent"], sent, re.M):
            problems.append("postie sent /%s/" % sc["forbid-sent"])
        stored = b""
        for cmd in (["folders", "evil"], ["list", "evil"]):
            q = subprocess.run([POSTIE, "-c", cfg] + cmd, env=penv, capture_output=True, timeout=30)
            if q.returncode < 0 or b"Sanitizer" in q.stderr:
                problems.append("postie %s crashed" % cmd[0])
            stored += q.stdout
        for root, _, files in os.walk(os.path.join(home, "data")):
            for fn in files:
                if fn.endswith(".db") or fn.endswith("-wal") or fn.endswith("-shm"):
                    continue
                with open(os.path.join(root, fn), "rb") as fh:
                    stored += fh.read()
        text = stored.decode("utf-8", "replace")
        if "expect-stored" in sc and not re.search(sc["expect-stored"], text):
            problems.append("stored data lacks /%s/" % sc["expect-stored"])
        if "forbid-stored" in sc and re.search(sc["forbid-stored"], text):
            problems.append("stored data shows /%s/" % sc["forbid-stored"])
        if "forbid-stored-bytes" in sc and re.search(sc["forbid-stored-bytes"].encode().decode("unicode_escape").encode("latin-1"), stored):
            problems.append("stored data carries forbidden bytes")
        if sc.get("expect-no-file-outside") == "yes":
            if os.path.exists("/tmp/pwned") or glob.glob(os.path.join(work, "**", "pwned*"), recursive=True):
                problems.append("a file named by the server was created outside postie's folders")
            for root, dirs, files in os.walk(home):
                for n in dirs + files:
                    full = os.path.realpath(os.path.join(root, n))
                    if not full.startswith(os.path.realpath(home)):
                        problems.append("path escapes the data folder: %s" % full)
        return name, problems, err
    finally:
        if srv.poll() is None:
            srv.kill()
            srv.wait()
        if not problems:
            shutil.rmtree(work, ignore_errors=True)
        else:
            sys.stdout.write("  (kept %s)\n" % work)


def main():
    paths = sys.argv[1:] or sorted(glob.glob(os.path.join(SRC, "tests", "server", "scenarios", "*.scn")))
    certs = certdir()
    passed = failed = 0
    for path in paths:
        name, problems, err = run_one(path, certs)
        if problems:
            failed += 1
            print("not ok - %s: %s" % (name, "; ".join(problems)))
            if err:
                print("  postie said: %s" % err.strip().replace("\n", " | ")[:300])
        else:
            passed += 1
            print("ok - %s" % name)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
