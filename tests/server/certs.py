"""Test-time certificates for tests/server/harness (a module of it).

ensure_certs(d) makes, once per folder, with the `openssl` command: a
private CA; server.pem for localhost + IP:127.0.0.1 signed by it;
other.pem for other.example.org; expired.pem (2020-01-01 to 2021-01-01);
selfsigned.pem; unknownca.pem signed by unknown-ca.pem, a CA nobody
trusts; selfsigned.sha256 (hex SHA-256 of its DER).  EC P-256 keys.
"""

import hashlib
import os
import shutil
import ssl
import subprocess
import tempfile
import time

EXPIRED_START = "20200101000000Z"
EXPIRED_END = "20210101000000Z"
CERT_MAX_AGE = 700 * 86400  # remade well before the leaves (825 days) expire
CERT_FORMAT = "3"  # bump when the set of certificates changes


class HarnessError(Exception):
    """A failure to report in one sentence (shared with the harness)."""


def die(msg):
    raise HarnessError(msg)


OPENSSL_CNF = """\
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = placeholder
[ v3_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ ca ]
default_ca = ca_default
[ ca_default ]
dir = .
database = ./index.txt
new_certs_dir = ./newcerts
serial = ./serial
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
[ policy_any ]
commonName = supplied
[ leaf_localhost ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ leaf_other ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:other.example.org
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ self_localhost ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
subjectKeyIdentifier = hash
"""


def run(argv, cwd=None, what=None):
    p = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        die("%s failed (exit %d): %s\n%s" % (
            what or argv[0], p.returncode, " ".join(argv),
            p.stdout.decode(errors="replace")))
    return p.stdout


def gen_certs(d):
    """Make every certificate in the empty folder d."""
    with open(os.path.join(d, "openssl.cnf"), "w") as f:
        f.write(OPENSSL_CNF)
    os.mkdir(os.path.join(d, "newcerts"))
    open(os.path.join(d, "index.txt"), "w").close()
    with open(os.path.join(d, "serial"), "w") as f:
        f.write("1000\n")
    cnf = ["-config", "openssl.cnf"]
    newkey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
              "-nodes"]

    def ca(stem, cn):
        run(["openssl", "req", "-x509", "-new"] + cnf + newkey +
            ["-keyout", stem + ".key", "-out", stem + ".pem",
             "-days", "3650", "-subj", "/O=Postie tests/CN=" + cn,
             "-extensions", "v3_ca"], cwd=d, what="openssl req (CA)")

    def leaf(stem, cn, ext, signer, start=None, end=None):
        run(["openssl", "req", "-new"] + cnf + newkey +
            ["-keyout", stem + ".key", "-out", stem + ".csr",
             "-subj", "/O=Postie tests/CN=" + cn], cwd=d,
            what="openssl req (%s)" % stem)
        if start is None:
            # Valid from yesterday, so clock skew between steps is harmless.
            t = time.gmtime(time.time() - 86400)
            start = time.strftime("%Y%m%d%H%M%SZ", t)
            end = time.strftime("%Y%m%d%H%M%SZ",
                                time.gmtime(time.time() + 825 * 86400))
        run(["openssl", "ca", "-batch", "-notext"] + cnf +
            ["-cert", signer + ".pem", "-keyfile", signer + ".key",
             "-in", stem + ".csr", "-out", stem + ".pem",
             "-extensions", ext, "-startdate", start, "-enddate", end],
            cwd=d, what="openssl ca (%s)" % stem)
        os.unlink(os.path.join(d, stem + ".csr"))

    ca("ca", "Postie Test CA")
    ca("unknown-ca", "Postie Untrusted CA")
    leaf("server", "localhost", "leaf_localhost", "ca")
    leaf("other", "other.example.org", "leaf_other", "ca")
    leaf("expired", "localhost", "leaf_localhost", "ca",
         EXPIRED_START, EXPIRED_END)
    leaf("unknownca", "localhost", "leaf_localhost", "unknown-ca")
    run(["openssl", "req", "-x509", "-new"] + cnf + newkey +
        ["-keyout", "selfsigned.key", "-out", "selfsigned.pem",
         "-days", "825", "-subj", "/O=Postie tests/CN=localhost",
         "-extensions", "self_localhost"], cwd=d,
        what="openssl req (self-signed)")
    with open(os.path.join(d, "selfsigned.pem")) as f:
        der = ssl.PEM_cert_to_DER_cert(f.read())
    with open(os.path.join(d, "selfsigned.sha256"), "w") as f:
        f.write(hashlib.sha256(der).hexdigest() + "\n")
    for name in os.listdir(d):
        if name.endswith(".key"):
            os.chmod(os.path.join(d, name), 0o600)
    with open(os.path.join(d, "format"), "w") as f:
        f.write(CERT_FORMAT + "\n")


def certs_usable(d):
    try:
        with open(os.path.join(d, "format")) as f:
            if f.read().strip() != CERT_FORMAT:
                return False
        return time.time() - os.stat(os.path.join(d, "format")).st_mtime \
            < CERT_MAX_AGE
    except OSError:
        return False


def make_once(d, usable, make, prefix, wait=120, stale=60):
    """Reuse folder d when usable(d), else make(tmp) into a temporary
    folder beside it and rename that to d: one maker at a time (a mkdir
    lock; a lock older than stale seconds was left by a killed maker)."""
    if usable(d):
        return d
    parent = os.path.dirname(d)
    os.makedirs(parent, exist_ok=True)
    lock = d + ".lock"
    deadline = time.time() + wait
    while True:
        try:
            os.mkdir(lock)
            break
        except FileExistsError:
            if usable(d):
                return d
            try:
                if time.time() - os.stat(lock).st_mtime > stale:
                    os.rmdir(lock)
                    continue
            except OSError:
                continue
            if time.time() > deadline:
                die("timed out waiting for %s" % lock)
            time.sleep(0.1)
    try:
        if usable(d):
            return d
        tmp = tempfile.mkdtemp(prefix=prefix, dir=parent)
        try:
            make(tmp)
            if os.path.isdir(d):
                shutil.rmtree(d)
            os.rename(tmp, d)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    finally:
        os.rmdir(lock)
    return d


def ensure_certs(d):
    """Reuse the certificates in d or make them; one maker at a time."""
    return make_once(d, certs_usable, gen_certs, ".certs.")


def cert_dir(dirpath):
    b = os.environ.get("top_builddir")
    if b:
        return os.path.join(os.path.abspath(b), "tests", "server", "certs")
    return os.path.join(dirpath, "certs")
