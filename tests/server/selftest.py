#!/usr/bin/env python3
"""Self-test of the test-server harness: every port answers as promised.

Run by tests/integration/harness.itest under tests/server/with-dovecot,
so POSTIE_TEST_* come from DIR/env.  Certificates are checked with
`openssl s_client`, the protocols over plain sockets (imaplib/poplib).
Prints one line per check and "N passed, N failed"; exits 1 on failure.
"""

import hashlib
import imaplib
import os
import poplib
import re
import select
import socket
import ssl
import subprocess
import sys
import time

E = os.environ
HOST = E.get("POSTIE_TEST_HOST", "127.0.0.1")
TIMEOUT = 20
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


def port(name):
    return int(E["POSTIE_TEST_%s_PORT" % name])


def s_client(p, extra=(), send=b"a LOGOUT\r\n", name=None):
    argv = ["openssl", "s_client", "-connect", "%s:%d" % (HOST, p),
            "-servername", name or E["POSTIE_TEST_NAME"],
            "-CAfile", E["POSTIE_TEST_CA"],
            "-verify_hostname", name or E["POSTIE_TEST_NAME"],
            "-showcerts", "-ign_eof"] + list(extra)
    try:
        r = subprocess.run(argv, input=send, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=TIMEOUT)
        return r.returncode, r.stdout.decode(errors="replace")
    except subprocess.TimeoutExpired as e:
        return -1, "timeout: %s" % (e.output or b"").decode(errors="replace")


def verify_code(out):
    m = re.search(r"Verify return code: (\d+)", out)
    return int(m.group(1)) if m else None


def read_line(sock):
    buf = b""
    while not buf.endswith(b"\n"):
        c = sock.recv(1)
        if not c:
            break
        buf += c
    return buf


def ctx():
    c = ssl.create_default_context(cafile=E["POSTIE_TEST_CA"])
    c.minimum_version = ssl.TLSVersion.TLSv1_2
    return c


def test_env():
    need = ["DIR", "HOST", "NAME", "IMAP_PORT", "IMAPS_PORT", "POP3_PORT",
            "POP3S_PORT", "CA", "USERS", "WRONGHOST_PORT", "EXPIRED_PORT",
            "SELFSIGNED_PORT", "UNKNOWNCA_PORT", "SELFSIGNED_FP",
            "SILENT_PORT"]
    missing = [n for n in need if not E.get("POSTIE_TEST_" + n)]
    for u in E.get("POSTIE_TEST_USERS", "").split():
        if not os.path.isdir(os.path.join(
                E.get("POSTIE_TEST_MAILDIR_" + u, "/nonexistent"), "new")):
            missing.append("MAILDIR_" + u)
    check("env file sets every promised variable", not missing,
          "missing: " + " ".join(missing))
    check("users are alice bob carol",
          E.get("POSTIE_TEST_USERS") == "alice bob carol")
    check("host is 127.0.0.1", HOST == "127.0.0.1")


def test_imaps():
    rc, out = s_client(port("IMAPS"), ["-verify_return_error"])
    check("IMAPS certificate verifies against POSTIE_TEST_CA for localhost",
          rc == 0 and verify_code(out) == 0 and "* OK" in out, out[-600:])
    rc, out = s_client(port("IMAPS"), ["-verify_return_error", "-verify_ip",
                                       HOST])
    check("IMAPS certificate is also valid for IP 127.0.0.1",
          rc == 0 and verify_code(out) == 0, out[-600:])
    rc, out = s_client(port("IMAPS"), ["-tls1_1"])
    check("IMAPS refuses TLS 1.1", "* OK" not in out, out[-600:])


def test_imap_starttls():
    with socket.create_connection((HOST, port("IMAP")), TIMEOUT) as s:
        greet = read_line(s)
        s.sendall(b"a CAPABILITY\r\n")
        caps = read_line(s)
        s.sendall(b"b LOGOUT\r\n")
    check("plain IMAP port greets", greet.startswith(b"* OK"), repr(greet))
    check("plain IMAP port offers STARTTLS", b"STARTTLS" in caps, repr(caps))
    rc, out = s_client(port("IMAP"), ["-starttls", "imap",
                                      "-verify_return_error"],
                       send=b"a CAPABILITY\r\nb LOGOUT\r\n")
    check("STARTTLS on the IMAP port verifies",
          rc == 0 and verify_code(out) == 0 and "b OK" in out, out[-600:])


def test_pop3_stls():
    with socket.create_connection((HOST, port("POP3")), TIMEOUT) as s:
        greet = read_line(s)
        s.sendall(b"CAPA\r\n")
        capa = b""
        while True:
            line = read_line(s)
            capa += line
            if not line or line == b".\r\n" or line.startswith(b"-ERR"):
                break
        s.sendall(b"QUIT\r\n")
    check("plain POP3 port greets", greet.startswith(b"+OK"), repr(greet))
    check("plain POP3 port offers STLS", b"\r\nSTLS\r\n" in capa, repr(capa))
    rc, out = s_client(port("POP3"), ["-starttls", "pop3",
                                      "-verify_return_error"],
                       send=b"QUIT\r\n")
    check("STLS on the POP3 port verifies",
          rc == 0 and verify_code(out) == 0 and "+OK" in out, out[-600:])
    rc, out = s_client(port("POP3S"), ["-verify_return_error"],
                       send=b"QUIT\r\n")
    check("POP3S certificate verifies",
          rc == 0 and verify_code(out) == 0 and "+OK" in out, out[-600:])


def test_alice_imaps():
    m = imaplib.IMAP4_SSL(E["POSTIE_TEST_NAME"], port("IMAPS"),
                          ssl_context=ctx(), timeout=TIMEOUT)
    typ, _ = m.login("alice", "pw-alice")
    check("alice logs in over IMAPS", typ == "OK")
    typ, lines = m.list()
    got = {}
    for line in lines:
        mo = re.match(rb'\(([^)]*)\) "(.)" (.*)', line)
        if mo:
            got[mo.group(3).strip(b'"').decode()] = (mo.group(1).decode(),
                                                     mo.group(2))
    want = {"INBOX": "", "Sent": "\\Sent", "Drafts": "\\Drafts",
            "Trash": "\\Trash", "Junk": "\\Junk", "Archive": "\\Archive",
            "Work": "", "Work/Projects": "", "Entw&APw-rfe": ""}
    bad = [n for n, use in want.items()
           if n not in got or (use and use not in got[n][0])]
    check("alice sees her folders with SPECIAL-USE", not bad,
          "missing or wrong: %s; got %r" % (bad, got))
    check("hierarchy separator is '/'",
          all(sep == b"/" for _, sep in got.values()), repr(got))
    typ, data = m.select("INBOX", readonly=True)
    n = int(data[0]) if typ == "OK" else -1
    check("alice's INBOX has 5 messages", n == 5, repr(data))
    typ, data = m.search(None, "UNSEEN")
    check("two of them unseen", typ == "OK" and data[0].split() ==
          [b"3", b"5"], repr(data))
    typ, data = m.search(None, "FLAGGED")
    check("one flagged", typ == "OK" and data[0].split() == [b"2"],
          repr(data))
    typ, data = m.fetch("3", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    check("message 3 has an RFC 2047 subject",
          typ == "OK" and b"=?UTF-8?B?" in data[0][1], repr(data))
    for box, count in (("Work/Projects", 1), ("Entw&APw-rfe", 1),
                       ("Trash", 0)):
        typ, data = m.select('"%s"' % box, readonly=True)
        check("%s has %d message(s)" % (box, count),
              typ == "OK" and int(data[0]) == count, repr(data))
    m.logout()


def test_drop_and_idle():
    """A message dropped into new/ shows up, also to a client in IDLE."""
    s = ssl.create_default_context(cafile=E["POSTIE_TEST_CA"]).wrap_socket(
        socket.create_connection((HOST, port("IMAPS")), TIMEOUT),
        server_hostname=E["POSTIE_TEST_NAME"])
    f = s.makefile("rb")
    f.readline()

    def cmd(line):
        s.sendall(line)
        tag = line.split()[0]
        out = []
        while True:
            r = f.readline()
            out.append(r)
            if not r or r.startswith(tag + b" "):
                return out
    cmd(b"a LOGIN alice pw-alice\r\n")
    cmd(b"b SELECT INBOX\r\n")
    s.sendall(b"c IDLE\r\n")
    cont = f.readline()
    check("IDLE is accepted", cont.startswith(b"+"), repr(cont))
    new = os.path.join(E["POSTIE_TEST_MAILDIR_alice"], "new")
    path = os.path.join(new, "%d.selftest.localhost" % time.time())
    try:
        with open(path, "wb") as out:
            out.write(b"From: selftest@example.org\nSubject: dropped\n\n"
                      b"dropped behind the server's back\n")
        wrote = True
    except OSError as e:
        wrote = False
        check("test user can write into alice's new/", False, str(e))
    if wrote:
        check("test user can write into alice's new/", True)
        deadline = time.time() + TIMEOUT
        seen = b""
        while time.time() < deadline and b"EXISTS" not in seen:
            r, _, _ = select.select([s], [], [], 1)
            if r or s.pending():
                seen += f.readline()
        check("IDLE reports the dropped message", b"* 6 EXISTS" in seen,
              repr(seen))
    s.sendall(b"DONE\r\n")
    f.readline()
    cmd(b"z LOGOUT\r\n")
    s.close()


def test_bob_pop3s():
    p = poplib.POP3_SSL(E["POSTIE_TEST_NAME"], port("POP3S"),
                        context=ctx(), timeout=TIMEOUT)
    p.user("bob")
    r = p.pass_("pw-bob")
    check("bob logs in over POP3S", r.startswith(b"+OK"), repr(r))
    count, size = p.stat()
    check("bob's STAT shows 3 messages", count == 3 and size > 0,
          "%d %d" % (count, size))
    _, uidls, _ = p.uidl()
    check("UIDL answers", len(uidls) == 3, repr(uidls))
    p.quit()
    try:
        p = poplib.POP3_SSL(E["POSTIE_TEST_NAME"], port("POP3S"),
                            context=ctx(), timeout=TIMEOUT)
        p.user("bob")
        p.pass_("wrong")
        ok = False
    except poplib.error_proto:
        ok = True
    check("a wrong password is refused", ok)


def test_carol_starttls():
    m = imaplib.IMAP4(HOST, port("IMAP"), timeout=TIMEOUT)
    m.starttls(ssl_context=ctx())  # checks the IP SAN
    typ, _ = m.login("carol", "pw-carol")
    typ2, data = m.select("INBOX", readonly=True)
    check("carol logs in after STARTTLS; INBOX is empty",
          typ == "OK" and typ2 == "OK" and int(data[0]) == 0, repr(data))
    m.logout()


def subject_cn(out):
    m = re.search(r"subject=.*?CN ?= ?([^,\n/]+)", out)
    return m.group(1).strip() if m else None


def test_bad_certs():
    cases = [
        ("WRONGHOST", 62, "other.example.org", "hostname mismatch"),
        ("EXPIRED", 10, "localhost", "expired"),
        ("SELFSIGNED", 18, "localhost", "self-signed"),
        ("UNKNOWNCA", 20, "localhost", "unknown CA"),
    ]
    for name, code, cn, what in cases:
        rc, out = s_client(port(name))
        # The first error is what a client sees; s_client goes on after it
        # (unknown CA adds 21, "unable to verify the first certificate").
        errs = [int(x) for x in re.findall(r"verify error:num=(\d+)", out)]
        check("%s port presents a %s certificate for %s (verify error %s)"
              % (name.lower(), what, cn, code),
              errs[:1] == [code] and subject_cn(out) == cn,
              "verify errors %r, CN %r\n%s" % (errs, subject_cn(out),
                                              out[-800:]))
        check("%s port greets like IMAP and answers LOGOUT" % name.lower(),
              "* OK [CAPABILITY IMAP4rev1] bad-cert test server ready" in out
              and "a OK LOGOUT" in out, out[-400:])
    rc, out = s_client(port("WRONGHOST"), ["-verify_return_error"],
                       name="other.example.org")
    check("wronghost certificate verifies for other.example.org",
          rc == 0 and verify_code(out) == 0, out[-600:])
    rc, out = s_client(port("UNKNOWNCA"), [
        "-CAfile", E.get("POSTIE_TEST_UNKNOWNCA_CA", "/nonexistent")])
    check("unknownca certificate chains to POSTIE_TEST_UNKNOWNCA_CA",
          verify_code(out) == 0, out[-600:])
    with socket.create_connection((HOST, port("SELFSIGNED")), TIMEOUT) as s:
        c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        c.check_hostname = False
        c.verify_mode = ssl.CERT_NONE
        with c.wrap_socket(s, server_hostname="localhost") as t:
            fp = hashlib.sha256(t.getpeercert(binary_form=True)).hexdigest()
    check("POSTIE_TEST_SELFSIGNED_FP is the SHA-256 of its DER",
          fp == E["POSTIE_TEST_SELFSIGNED_FP"],
          "%s != %s" % (fp, E["POSTIE_TEST_SELFSIGNED_FP"]))


def test_silent():
    with socket.create_connection((HOST, port("SILENT")), TIMEOUT) as s:
        r, _, _ = select.select([s], [], [], 2.0)
        data = s.recv(1, socket.MSG_DONTWAIT) if r else b""
    check("silent port accepts and sends nothing for 2 s", not r,
          repr(data))


def test_loopback_only():
    """Bound to 127.0.0.1, not to every address: 127.0.0.2 is refused."""
    names = ["IMAP", "IMAPS", "POP3", "POP3S", "WRONGHOST", "EXPIRED",
             "SELFSIGNED", "UNKNOWNCA", "SILENT"]
    names += [n for n in ("SUBMISSION", "SMTPS")
              if "POSTIE_TEST_%s_PORT" % n in E]
    open_ = []
    for n in names:
        try:
            socket.create_connection(("127.0.0.2", port(n)), 5).close()
            open_.append(n)
        except ConnectionRefusedError:
            pass
        except OSError as e:
            open_.append("%s (%s)" % (n, e))
    check("every listener is bound to 127.0.0.1 only", not open_,
          "reachable on 127.0.0.2: %s" % open_)


def test_deliver():
    here = os.path.dirname(os.path.realpath(__file__))
    msg = os.path.join(os.path.dirname(os.path.dirname(here)), "tests",
                       "data", "fixtures", "bob-inbox-1.eml")
    r = subprocess.run([sys.executable, os.path.join(here, "harness"),
                        "deliver", E["POSTIE_TEST_DIR"], "alice", msg,
                        "Work", "F"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=TIMEOUT)
    check("harness deliver drops a message", r.returncode == 0,
          r.stdout.decode(errors="replace"))
    m = imaplib.IMAP4_SSL(E["POSTIE_TEST_NAME"], port("IMAPS"),
                          ssl_context=ctx(), timeout=TIMEOUT)
    m.login("alice", "pw-alice")
    typ, data = m.status("Work", "(MESSAGES UNSEEN)")
    m.logout()
    check("Dovecot sees the delivered message",
          typ == "OK" and b"MESSAGES 2 UNSEEN 1" in data[0], repr(data))


def wait_imap(user, subject, timeout=30):
    """The message of user's INBOX whose Subject is subject (bytes), or
    None once timeout passed (delivery through Postfix is asynchronous)."""
    deadline = time.time() + timeout
    while True:
        m = imaplib.IMAP4_SSL(E["POSTIE_TEST_NAME"], port("IMAPS"),
                              ssl_context=ctx(), timeout=TIMEOUT)
        m.login(user, "pw-" + user)
        m.select("INBOX", readonly=True)
        typ, data = m.search(None, "HEADER", "Subject",
                              '"%s"' % subject)
        found = None
        if typ == "OK" and data[0].split():
            typ, msg = m.fetch(data[0].split()[-1], "(BODY.PEEK[])")
            found = msg[0][1]
        m.logout()
        if found is not None or time.time() > deadline:
            return found
        time.sleep(0.1)


def test_postfix():
    if "POSTIE_TEST_SUBMISSION_PORT" not in E:
        check("Postfix runs (POSTIE_TEST_NO_SMTP: %s)"
              % E.get("POSTIE_TEST_NO_SMTP", "?"), os.geteuid() != 0)
        return
    import smtplib
    host = E["POSTIE_TEST_NAME"]
    s = smtplib.SMTP(host, port("SUBMISSION"), timeout=TIMEOUT)
    code, ehlo = s.ehlo()
    check("submission port offers STARTTLS and no AUTH before it",
          code == 250 and b"STARTTLS" in ehlo and b"AUTH" not in ehlo,
          repr(ehlo))
    code, msg = s.mail("alice@example.org")
    check("submission port refuses MAIL before TLS", code == 530,
          "%d %r" % (code, msg))
    s.rset()
    s.starttls(context=ctx())
    code, ehlo = s.ehlo()
    check("after STARTTLS it offers AUTH PLAIN LOGIN and SIZE",
          b"AUTH PLAIN LOGIN" in ehlo and b"SIZE" in ehlo, repr(ehlo))
    try:
        s.login("alice", "wrong")
        check("a wrong password is refused over SMTP", False)
    except smtplib.SMTPAuthenticationError:
        check("a wrong password is refused over SMTP", True)
    s.login("alice", "pw-alice")
    refused = s.sendmail("alice@example.org",
                         ["bob@example.org", "nobody@example.org"],
                         b"From: alice@example.org\r\nTo: bob@example.org"
                         b"\r\nSubject: selftest 587\r\n\r\nhello\r\n")
    check("Postfix refuses an unknown user, accepts a known one",
          list(refused) == ["nobody@example.org"]
          and refused["nobody@example.org"][0] == 550, repr(refused))
    s.quit()
    s = smtplib.SMTP_SSL(host, port("SMTPS"), context=ctx(),
                         timeout=TIMEOUT)
    s.login("alice", "pw-alice")
    s.sendmail("alice@example.org", ["carol@example.org"],
               b"From: alice@example.org\r\nSubject: selftest 465\r\n\r\n"
               b"..dot\r\n")
    s.quit()
    check("mail sent over 587 reaches bob's INBOX over LMTP",
          wait_imap("bob", "selftest 587") is not None)
    got = wait_imap("carol", "selftest 465")
    # smtplib stuffs the dots and Postfix removes them again.
    check("mail sent over 465 reaches carol's INBOX, the body intact",
          got is not None and got.endswith(b"\r\n\r\n..dot\r\n"), repr(got))


def main():
    tests = [test_env, test_imaps, test_imap_starttls, test_pop3_stls,
             test_alice_imaps, test_bob_pop3s, test_carol_starttls,
             test_bad_certs, test_silent, test_loopback_only,
             test_drop_and_idle, test_deliver,
             test_postfix]  # last: it adds mail to bob and carol
    for t in tests:
        try:
            t()
        except Exception as e:  # one broken port must not hide the rest
            check("%s ran" % t.__name__, False, "%s: %s" % (
                type(e).__name__, e))
    print("harness self-test: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
