#!/usr/bin/env python3
"""postie authorize and the refresh token, against the test provider
(tests/server/oauth_provider.py serve: RFC 6749, 7636, 8628 on TLS) and
Dovecot's validation of its tokens.

- authorize by code: open_command is a script acting as the browser: it
  follows the authorization URL, whose redirect lands on postie's
  one-shot listener on 127.0.0.1; PKCE S256 is checked by the provider.
- authorize --device: the code is printed; the test approves it as the
  user; slow_down makes postie wait longer, never poll faster.
- sync then refreshes with the stored refresh token (file, 0600), keeps
  the access token in memory, and when the server refuses a token that
  the provider said was still good, refreshes once and retries.
- a token that expires during a long run (postie send stopped between
  its SMTP and IMAP sign-ins): one refresh, one retry;
- a revoked refresh token: "w: the sign-in has expired; run postie
  authorize w".
- the provider unreachable: a sentence, and no token anywhere in it.

Run under tests/server/with-oauth with $POSTIE.
"""
import atexit
import json
import os
import shutil
import ssl
import stat
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oauth import ENV, FAILED, ODIR, POSTIE, PROVIDER, check  # noqa: E402

CERTDIR = os.path.dirname(ENV["POSTIE_TEST_CA"])

BROWSER = r'''#!/usr/bin/env python3
# The user agent: GET the authorization URL, follow its redirect to the
# loopback listener.  In the background: open_command must return.
import os, ssl, sys, urllib.request
if os.fork():
    sys.exit(0)
os.setsid()
null = os.open(os.devnull, os.O_RDWR)
for fd in (0, 1, 2):
    os.dup2(null, fd)
ctx = ssl.create_default_context(cafile=os.environ["CA"])
class No(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None
op = urllib.request.build_opener(urllib.request.HTTPSHandler(context=ctx),
                                 No)
try:
    op.open(sys.argv[1])
except urllib.error.HTTPError as e:
    loc = e.headers["Location"]
    open(os.environ["LOG"], "w").write(loc.split("?")[0] + "\n")
    urllib.request.urlopen(loc).read()
'''


class Provider:
    def __init__(self):
        self.p = subprocess.Popen([sys.executable, PROVIDER, "serve", ODIR,
                                   CERTDIR], stdout=subprocess.PIPE,
                                  stderr=open(os.path.join(ODIR,
                                                           "provider.log"),
                                              "w"))
        self.port = int(self.p.stdout.readline())
        self.ctx = ssl.create_default_context(cafile=ENV["POSTIE_TEST_CA"])

    def control(self, **kw):
        req = urllib.request.Request(
            "https://localhost:%d/control" % self.port,
            data=urllib.parse.urlencode(kw).encode(), method="POST")
        return json.loads(urllib.request.urlopen(req,
                                                 context=self.ctx).read())

    def stop(self):
        self.p.terminate()
        self.p.wait()


class Client:
    def __init__(self, port, extra=""):
        self.dir = tempfile.mkdtemp(prefix="postie-oauthf-")
        atexit.register(shutil.rmtree, self.dir, True)
        self.cfg = os.path.join(self.dir, "config")
        browser = os.path.join(self.dir, "browser")
        with open(browser, "w") as f:
            f.write(BROWSER)
        os.chmod(browser, 0o755)
        base = "https://localhost:%d" % port
        with open(self.cfg, "w") as fp:
            fp.write("[general]\nopen_command = %s\n\n"
                     "[account w]\nprotocol = imap\nhost = %s\nport = %s\n"
                     "tls = implicit\nuser = alice\nauth = oauth2\n"
                     "oauth2_client_id = postie-test\n"
                     "oauth2_auth_url = %s/authorize\n"
                     "oauth2_token_url = %s/token\n"
                     "oauth2_device_url = %s/device\n"
                     "oauth2_scope = mail offline_access\n"
                     "ca_file = %s\ntimeout = 10\n%s" %
                     (browser, ENV["POSTIE_TEST_NAME"],
                      ENV["POSTIE_TEST_IMAPS_PORT"], base, base, base,
                      ENV["POSTIE_TEST_CA"], extra))
        os.chmod(self.cfg, 0o600)
        self.env = dict(os.environ)
        for k in ("DATA", "STATE", "CACHE", "CONFIG"):
            self.env["XDG_%s_HOME" % k] = os.path.join(self.dir, k.lower())
        self.env["CA"] = ENV["POSTIE_TEST_CA"]
        self.env["LOG"] = os.path.join(self.dir, "browser.log")
        self.refresh_file = os.path.join(self.dir, "data", "postie",
                                         "oauth2", "w")

    def run(self, *args, timeout=120, stdout_cb=None):
        p = subprocess.Popen([POSTIE, "-c", self.cfg] + list(args),
                             env=self.env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        if stdout_cb:
            stdout_cb(p)
        out, err = p.communicate(timeout=timeout)
        out = out.decode("utf-8", "replace")
        err = err.decode("utf-8", "replace")
        if "Sanitizer" in err or "runtime error" in err:
            check(False, "no sanitizer report: %s" % err[:2000])
        if os.path.exists(self.refresh_file):
            rt = open(self.refresh_file).read().strip()
            check(rt not in out + err, "no refresh token in the output")
        return p.returncode, out, err


def long_run(c, prov):
    import signal
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    proxy = subprocess.Popen(
        [sys.executable, os.path.join(os.path.dirname(os.path.abspath(
            __file__)), "..", "..", "bench", "delay-proxy"),
         "--delay", "300", str(port),
         "127.0.0.1:%s" % ENV["POSTIE_TEST_SMTPS_PORT"]],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 1).close()
                break
            except OSError:
                time.sleep(0.05)
        with open(c.cfg, "a") as f:
            f.write("from = Alice <alice@example.org>\n"
                    "smtp_host = %s\nsmtp_port = %d\nsmtp_tls = implicit\n"
                    % (ENV["POSTIE_TEST_NAME"], port))
        with open(ENV["POSTIE_TEST_POSTFIX_LOG"], errors="replace") as f:
            before = f.read().count("sasl_username=alice")
        prov.control(action="ttl", ttl="6", lie="3600")
        s0 = prov.control(action="stats")
        msg = ("From: Alice <alice@example.org>\nTo: bob@example.org\n"
               "Subject: a long run\n\nhi\n").encode()
        p = subprocess.Popen([POSTIE, "-c", c.cfg, "send"], env=c.env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        p.stdin.write(msg)
        p.stdin.close()
        p.stdin = None  # written: communicate() must not flush it
        stopped = False
        end = time.time() + 60
        while time.time() < end and p.poll() is None:
            with open(ENV["POSTIE_TEST_POSTFIX_LOG"], errors="replace") as f:
                if f.read().count("sasl_username=alice") > before:
                    p.send_signal(signal.SIGSTOP)
                    stopped = True
                    break
            time.sleep(0.02)
        if stopped:
            time.sleep(7)
            p.send_signal(signal.SIGCONT)
        out, err = p.communicate(timeout=120)
        err = err.decode("utf-8", "replace")
        s1 = prov.control(action="stats")
        check(stopped, "long run: postie was stopped after the SMTP AUTH")
        check(p.returncode == 0, "long run: postie send succeeded (%s)" %
              err.strip())
        check(s1["refresh"] - s0["refresh"] == 2,
              "long run: one refresh to start, one after the expired "
              "token was refused (%d)" % (s1["refresh"] - s0["refresh"]))
    finally:
        proxy.terminate()
        proxy.wait()


def main():
    prov = Provider()
    try:
        # Authorization code, PKCE, loopback redirect.
        c = Client(prov.port)
        rc, out, err = c.run("authorize", "w")
        check(rc == 0 and "w: signed in" in out and "failed" not in out,
              "authorize by code (%d): %r %r" % (rc, out, err))
        check("code_challenge_method=S256" in out and
              "redirect_uri=http%3A%2F%2F127.0.0.1%3A" in out,
              "the printed URL asks for S256 and a loopback redirect")
        log = open(c.env["LOG"]).read() if os.path.exists(
            c.env["LOG"]) else ""
        check(log.startswith("http://127.0.0.1:"),
              "the browser was sent to 127.0.0.1: %r" % log)
        st = os.stat(c.refresh_file) if os.path.exists(
            c.refresh_file) else None
        check(st is not None and stat.S_IMODE(st.st_mode) == 0o600,
              "the refresh token is in a 0600 file")
        s0 = prov.control(action="stats")
        check(s0["code"] == 1, "one code exchanged: %r" % s0)

        # The stored refresh token signs in; the access token is held.
        rc, out, err = c.run("sync")
        check(rc == 0, "sync refreshes and signs in (%s)" % err.strip())
        s1 = prov.control(action="stats")
        check(s1["refresh"] == 1, "one refresh: %r" % s1)

        # A token the provider calls good for an hour, that Dovecot finds
        # expired: one refusal, one refresh, one retry.
        prov.control(action="ttl", ttl="-30", lie="3600")
        rc, out, err = c.run("sync")
        check(rc != 0, "an always-refused token fails the sync")
        s2 = prov.control(action="stats")
        check(s2["refresh"] == s1["refresh"] + 2,
              "a refused token: exactly one more refresh per sign-in "
              "(%d -> %d)" % (s1["refresh"], s2["refresh"]))
        prov.control(action="ttl", ttl="300")
        rc, out, err = c.run("sync")
        check(rc == 0, "sync again with good tokens (%s)" % err.strip())

        # A token that expires in the middle of a long run: postie send
        # signs in to SMTP (its submission slowed by a delay proxy), and
        # is stopped once Postfix has taken the AUTH, for longer than
        # the token lives although the provider said an hour; then the
        # IMAP sign-in for the Sent copy is refused, and one refresh and
        # one retry get it in.
        if not ENV.get("POSTIE_TEST_NO_SMTP"):
            long_run(c, prov)
        prov.control(action="ttl", ttl="300")

        # Revoked: the sentence.
        prov.control(action="revoke")
        rc, out, err = c.run("sync")
        check(rc != 0 and err.strip() == "postie: w: the sign-in has "
              "expired; run postie authorize w", "revoked: %r" % err.strip())

        # The device flow, with slow_down on the way.
        d = Client(prov.port)

        def approve(p):
            line = p.stdout.readline().decode()
            check("enter the code" in line, "device: %r" % line)
            code = line.rstrip().rsplit(" ", 1)[-1]
            time.sleep(2.5)
            prov.control(action="approve", user_code=code)

        t0 = time.time()
        rc, out, err = d.run("authorize", "--device", "w",
                             stdout_cb=approve)
        check(rc == 0 and "w: signed in" in out,
              "authorize --device (%d): %r %r" % (rc, out, err))
        s3 = prov.control(action="stats")
        check(s3["device"] == 1, "the device grant was used: %r" % s3)
        check(s3["slow_down"] == 0, "postie polled no faster than the "
              "interval: %r" % s3)
        rc, out, err = d.run("sync")
        check(rc == 0, "sync after the device flow (%s)" % err.strip())
    finally:
        prov.stop()

    # The provider is gone.
    rc, out, err = d.run("sync")
    check(rc != 0 and "cannot reach the sign-in service" in err,
          "provider unreachable: %r" % err.strip())

    if FAILED:
        print("%d failed" % len(FAILED))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
