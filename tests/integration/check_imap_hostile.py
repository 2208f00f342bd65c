#!/usr/bin/env python3
"""net/imap against every IMAP hostile-server scenario (tests/server/
scenarios/imap-*.scn), driven through check_imap_probe: the engine must
refuse what the scenario says, send no credentials where it forbids them,
show no pre-TLS text, never crash and never hang.  Checks expect-exit,
expect-stderr, forbid-stderr(-bytes), forbid-sent, expect-within, and
forbid-stored(-bytes) over what the probe learnt (its stdout).
Runs under tests/server/with-dovecot (imap_hostile.itest)."""
import glob
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
import shutil

SRC = os.environ.get("top_srcdir") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("top_builddir") or "."
PROBE = os.path.join(BUILD, "tests", "integration", "check_imap_probe")
HOSTILE = os.path.join(SRC, "tests", "server", "hostile.py")


def load(path):
    sc = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.lstrip().startswith("#"):
                k, _, v = line.rstrip("\n").partition(":")
                sc[k.strip()] = v.strip()
    return sc


def pyre(rx):
    return re.compile(rx, re.M)


def run_one(path, certs):
    sc = load(path)
    work = tempfile.mkdtemp(prefix="postie-imap-hostile.")
    portfile = os.path.join(work, "port")
    transcript = os.path.join(work, "transcript")
    open(transcript, "wb").close()
    env = dict(os.environ)
    env["PROXY_PORT"] = os.environ["POSTIE_TEST_IMAP_PORT"]
    srv = subprocess.Popen([sys.executable, HOSTILE, path, certs, portfile, transcript], env=env,
                           stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "server.log"), "wb"))
    problems = []
    err = ""
    try:
        for _ in range(200):
            if os.path.exists(portfile) and open(portfile).read().strip():
                break
            time.sleep(0.05)
        port = open(portfile).read().strip()
        args = [PROBE, os.environ["POSTIE_TEST_NAME"], port, sc.get("client-tls", "implicit"),
                "alice", "pw-alice", os.environ["POSTIE_TEST_CA"]]
        if sc.get("client-pin") == "selfsigned":
            der = subprocess.run(["openssl", "x509", "-in", os.path.join(certs, "selfsigned.pem"),
                                  "-outform", "DER"], capture_output=True, check=True).stdout
            args.append(hashlib.sha256(der).hexdigest())
        limit = float(sc.get("expect-within", "60"))
        t0 = time.monotonic()
        try:
            p = subprocess.run(args, capture_output=True, timeout=limit + 5)
        except subprocess.TimeoutExpired:
            return ["probe still running after %.0f s" % (limit + 5)], err
        took = time.monotonic() - t0
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode < 0 or p.returncode >= 128 or b"Sanitizer" in p.stderr or b"runtime error" in p.stderr:
            problems.append("crashed (status %d)" % p.returncode)
        if took > limit:
            problems.append("took %.1f s, more than %s" % (took, limit))
        want = sc.get("expect-exit")
        if want == "ok" and p.returncode != 0:
            problems.append("failed but should have worked")
        if want == "fail" and p.returncode == 0:
            problems.append("succeeded but should have refused")
        if "expect-stderr" in sc and not re.search(sc["expect-stderr"], err):
            problems.append("error lacks /%s/" % sc["expect-stderr"])
        if "forbid-stderr" in sc and re.search(sc["forbid-stderr"], err):
            problems.append("error shows /%s/" % sc["forbid-stderr"])
        if "forbid-stderr-bytes" in sc and re.search(
                sc["forbid-stderr-bytes"].encode().decode("unicode_escape").encode("latin-1"), p.stderr):
            problems.append("error carries forbidden bytes")
        if "forbid-stored" in sc and re.search(sc["forbid-stored"], p.stdout.decode("utf-8", "replace")):
            problems.append("learnt /%s/" % sc["forbid-stored"])
        if "forbid-stored-bytes" in sc and re.search(
                sc["forbid-stored-bytes"].encode().decode("unicode_escape").encode("latin-1"), p.stdout):
            problems.append("learnt forbidden bytes")
        try:
            srv.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
        sent = open(transcript, "rb").read().decode("latin-1")
        if "forbid-sent" in sc and re.search(sc["forbid-sent"], sent, re.M):
            problems.append("sent /%s/" % sc["forbid-sent"])
        if "pw-alice" in sent and sc.get("client-tls") == "starttls" and re.search(r"^plain: .*pw-alice", sent, re.M):
            problems.append("sent the password in plaintext")
        return problems, err
    finally:
        if srv.poll() is None:
            srv.kill()
            srv.wait()
        if not problems:
            shutil.rmtree(work, ignore_errors=True)
        else:
            sys.stdout.write("  (kept %s)\n" % work)


def main():
    paths = sys.argv[1:] or sorted(glob.glob(os.path.join(SRC, "tests", "server", "scenarios", "imap-*.scn")))
    certs = subprocess.run([os.path.join(SRC, "tests", "server", "harness"), "certs",
                            os.environ["POSTIE_TEST_DIR"]], capture_output=True, text=True,
                           check=True).stdout.strip().splitlines()[-1]
    failed = 0
    for path in paths:
        name = os.path.basename(path)[:-4]
        problems, err = run_one(path, certs)
        if problems:
            failed += 1
            print("not ok - %s: %s" % (name, "; ".join(problems)))
            print("  engine said: %s" % err.strip()[:300])
        else:
            print("ok - %s" % name)
    print("%d passed, %d failed" % (len(paths) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
