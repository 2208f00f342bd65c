"""Shared by the runners of the hostile-server scenarios
(tests/integration/hostile_run.py drives `postie sync`,
tests/integration/check_imap_hostile.py drives the IMAP engine alone):
loading a scenario, starting tests/server/hostile.py on it, and checking
the expectations that do not depend on what is driven.  See hostile_run.py
for the expectation keys."""
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SRC = os.environ.get("top_srcdir") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOSTILE = os.path.join(SRC, "tests", "server", "hostile.py")


def load(path):
    sc = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.lstrip().startswith("#"):
                k, _, v = line.rstrip("\n").partition(":")
                sc[k.strip()] = v.strip()
    return sc


def scenarios(pattern):
    return sorted(glob.glob(os.path.join(SRC, "tests", "server", "scenarios", pattern)))


def certdir():
    out = subprocess.run([os.path.join(SRC, "tests", "server", "harness"), "certs",
                          os.environ["POSTIE_TEST_DIR"]], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def selfsigned_fp(certs):
    der = subprocess.run(["openssl", "x509", "-in", os.path.join(certs, "selfsigned.pem"), "-outform", "DER"],
                         capture_output=True, check=True).stdout
    return hashlib.sha256(der).hexdigest()


def _bytes_rx(text):
    return re.compile(text.encode().decode("unicode_escape").encode("latin-1"))


class Server:
    """hostile.py serving one connection of a scenario, in a scratch folder
    kept (and named on stdout) when the scenario failed."""

    def __init__(self, path, certs):
        self.sc = load(path)
        self.work = tempfile.mkdtemp(prefix="postie-hostile.")
        os.chmod(self.work, 0o755)
        portfile = os.path.join(self.work, "port")
        self.transcript = os.path.join(self.work, "transcript")
        open(self.transcript, "wb").close()
        env = dict(os.environ)
        env["PROXY_PORT"] = os.environ["POSTIE_TEST_IMAP_PORT" if self.sc.get("protocol", "imap") == "imap"
                                       else "POSTIE_TEST_POP3_PORT"]
        self.proc = subprocess.Popen([sys.executable, HOSTILE, path, certs, portfile, self.transcript], env=env,
                                     stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.work, "server.log"), "wb"))
        for _ in range(200):
            if os.path.exists(portfile):
                break
            time.sleep(0.05)
        self.port = open(portfile).read().strip()

    def sent(self):
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
        return open(self.transcript, "rb").read().decode("latin-1")

    def close(self, problems):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if problems:
            sys.stdout.write("  (kept %s)\n" % self.work)
        else:
            shutil.rmtree(self.work, ignore_errors=True)


def check_run(sc, returncode, out, err, took):
    """Problems with how the driven program ended and what it printed."""
    problems = []
    text = err.decode("utf-8", "replace")
    limit = float(sc.get("expect-within", "60"))
    if returncode < 0 or returncode >= 128 or b"Sanitizer" in err or b"runtime error" in err:
        problems.append("crashed (status %d)" % returncode)
    if took > limit:
        problems.append("took %.1f s, more than %s" % (took, limit))
    want = sc.get("expect-exit")
    if want == "ok" and returncode != 0:
        problems.append("failed but should have worked")
    if want == "fail" and returncode == 0:
        problems.append("succeeded but should have refused")
    if "expect-stderr" in sc and not re.search(sc["expect-stderr"], text):
        problems.append("stderr lacks /%s/" % sc["expect-stderr"])
    if "forbid-stderr" in sc and re.search(sc["forbid-stderr"], text):
        problems.append("stderr shows /%s/" % sc["forbid-stderr"])
    if "forbid-stderr-bytes" in sc and _bytes_rx(sc["forbid-stderr-bytes"]).search(out + err):
        problems.append("output carries forbidden bytes /%s/" % sc["forbid-stderr-bytes"])
    return problems


def check_sent(sc, sent):
    if "forbid-sent" in sc and re.search(sc["forbid-sent"], sent, re.M):
        return ["sent /%s/" % sc["forbid-sent"]]
    return []


def check_stored(sc, stored):
    """Problems with what was stored (or learnt): stored is bytes."""
    problems = []
    text = stored.decode("utf-8", "replace")
    if "expect-stored" in sc and not re.search(sc["expect-stored"], text):
        problems.append("stored data lacks /%s/" % sc["expect-stored"])
    if "forbid-stored" in sc and re.search(sc["forbid-stored"], text):
        problems.append("stored data shows /%s/" % sc["forbid-stored"])
    if "expect-stored-bytes" in sc and not _bytes_rx(sc["expect-stored-bytes"]).search(stored):
        problems.append("stored data lacks the bytes /%s/" % sc["expect-stored-bytes"])
    if "forbid-stored-bytes" in sc and _bytes_rx(sc["forbid-stored-bytes"]).search(stored):
        problems.append("stored data carries forbidden bytes")
    return problems


def run_all(paths, run_one, who):
    """run_one(path, certs) -> (problems, what the program said)."""
    certs = certdir()
    failed = 0
    for path in paths:
        name = os.path.basename(path)[:-4]
        problems, said = run_one(path, certs)
        if problems:
            failed += 1
            print("not ok - %s: %s" % (name, "; ".join(problems)))
            if said:
                print("  %s said: %s" % (who, said.strip().replace("\n", " | ")[:300]))
        else:
            print("ok - %s" % name)
    print("%d passed, %d failed" % (len(paths) - failed, failed))
    return 1 if failed else 0
