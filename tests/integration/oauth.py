#!/usr/bin/env python3
"""OAuth2 sign-in (auth = oauth2) against Dovecot's oauth2 passdb, which
validates signed tokens itself, and Postfix, which asks Dovecot.

- IMAP, POP3 and SMTP sign in with the token oauth2_token_command prints
  (OAUTHBEARER; Dovecot checks signature, expiry and user).
- A token that has expired: the server's error challenge is answered,
  the command runs once more, the fresh token gets in.
- A token that is always refused: exactly two tries, then the server's
  refusal; never a loop.
- A token command that fails, or hangs: one sentence naming the key,
  nothing of its output; the hang ends at the account's bound.
- No token appears in what postie prints.

Run under tests/server/with-oauth with $POSTIE.
"""
import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time

POSTIE = os.environ["POSTIE"]
ENV = os.environ
FAILED = []
PROVIDER = ENV["POSTIE_TEST_OAUTH_PROVIDER"]
ODIR = ENV["POSTIE_TEST_OAUTH_DIR"]
# oauth_xoauth2.sh: Dovecot offers XOAUTH2 alone.
MECH = ("XOAUTH2" if ENV.get("POSTIE_TEST_OAUTH_MECHS") == "xoauth2" else
        "OAUTHBEARER")

# The token command: mode in MODE_FILE, runs counted in COUNT_FILE.
HELPER = r'''#!/usr/bin/env python3
import subprocess, sys, time
d, provider, odir, user = sys.argv[1:5]
mode = open(d + "/mode").read().strip()
try:
    n = int(open(d + "/count").read())
except OSError:
    n = 0
open(d + "/count", "w").write(str(n + 1))
if mode == "fail":
    sys.stderr.write("helper: the refresh token was revoked\n")
    sys.exit(3)
if mode == "hang":
    time.sleep(60)
ttl = 300
if mode == "expired" or (mode == "expired-once" and n == 0):
    ttl = -60
tok = subprocess.check_output([sys.executable, provider, "mint", odir,
                               user, str(ttl)]).decode().strip()
open(d + "/last", "w").write(tok)
print(tok)
'''


def check(cond, what):
    print(("ok - " if cond else "FAIL - ") + what, flush=True)
    if not cond:
        FAILED.append(what)
    return cond


class Client:
    def __init__(self, protocol, user="alice", timeout=10):
        self.dir = tempfile.mkdtemp(prefix="postie-oauth-")
        atexit.register(shutil.rmtree, self.dir, True)
        self.cfg = os.path.join(self.dir, "config")
        helper = os.path.join(self.dir, "token-helper")
        with open(helper, "w") as f:
            f.write(HELPER)
        os.chmod(helper, 0o755)
        port = ENV["POSTIE_TEST_IMAPS_PORT" if protocol == "imap" else
                   "POSTIE_TEST_POP3S_PORT"]
        with open(self.cfg, "w") as fp:
            fp.write("[account w]\nprotocol = %s\nhost = %s\nport = %s\n"
                     "tls = implicit\nuser = %s\nauth = oauth2\n"
                     "oauth2_token_command = %s %s %s %s %s\n"
                     "ca_file = %s\ntimeout = %d\n" %
                     (protocol, ENV["POSTIE_TEST_NAME"], port, user, helper,
                      self.dir, PROVIDER, ODIR, user, ENV["POSTIE_TEST_CA"],
                      timeout))
            if protocol == "imap" and not ENV.get("POSTIE_TEST_NO_SMTP"):
                fp.write("from = Alice Martin <alice@example.org>\n"
                         "smtp_host = %s\nsmtp_port = %s\n"
                         "smtp_tls = implicit\n" %
                         (ENV["POSTIE_TEST_NAME"],
                          ENV["POSTIE_TEST_SMTPS_PORT"]))
        os.chmod(self.cfg, 0o600)
        self.env = dict(os.environ)
        for k in ("DATA", "STATE", "CACHE", "CONFIG"):
            self.env["XDG_%s_HOME" % k] = os.path.join(self.dir, k.lower())
        self.mode("good")

    def mode(self, m):
        with open(os.path.join(self.dir, "mode"), "w") as f:
            f.write(m)
        try:
            os.unlink(os.path.join(self.dir, "count"))
        except OSError:
            pass

    def count(self):
        try:
            with open(os.path.join(self.dir, "count")) as f:
                return int(f.read())
        except OSError:
            return 0

    def last(self):
        try:
            with open(os.path.join(self.dir, "last")) as f:
                return f.read().strip()
        except OSError:
            return None

    def run(self, *args, stdin=None):
        p = subprocess.run([POSTIE, "-c", self.cfg] + list(args),
                           env=self.env, capture_output=True, input=stdin,
                           timeout=120)
        out = p.stdout.decode("utf-8", "replace")
        err = p.stderr.decode("utf-8", "replace")
        if "Sanitizer" in err or "runtime error" in err:
            check(False, "no sanitizer report: %s" % err[:2000])
        tok = self.last()
        if tok:
            check(tok not in out + err and tok.split(".")[2] not in out + err,
                  "no token in postie's output")
        return p.returncode, out, err


def dovecot_log():
    with open(ENV["POSTIE_TEST_DOVECOT_LOG"], errors="replace") as f:
        return f.read()



def main():
    # IMAP, with a good token.
    c = Client("imap")
    rc, out, err = c.run("sync")
    check(rc == 0, "IMAP: sync with an OAuth2 token works (%s)" % err.strip())
    check(c.count() == 1, "IMAP: the token command ran once (%d)" % c.count())
    check("method=%s" % MECH in dovecot_log(),
          "IMAP: Dovecot saw %s" % MECH)
    rc, out, err = c.run("folders", "w")
    check(rc == 0 and "INBOX" in out, "IMAP: the folders were listed")

    # An expired token: the error challenge, one fresh token, in.
    c.mode("expired-once")
    rc, out, err = c.run("sync")
    check(rc == 0, "IMAP: an expired token is refreshed once (%s)" %
          err.strip())
    check(c.count() == 2, "IMAP: two tokens asked for (%d)" % c.count())
    check("Token has expired" in dovecot_log(),
          "IMAP: Dovecot refused the expired token")

    # Always refused: two tries, then the refusal; no loop.
    c.mode("expired")
    rc, out, err = c.run("sync")
    check(rc != 0, "IMAP: a refused token fails the sync")
    check(c.count() == 2, "IMAP: exactly two tries (%d)" % c.count())
    check("refused the sign-in of alice" in err,
          "IMAP: the refusal is said: %r" % err.strip())

    # A failing token command.
    c.mode("fail")
    rc, out, err = c.run("sync")
    check(rc != 0 and "oauth2_token_command" in err and
          "revoked" in err, "a failing token command is named, with its "
          "stderr: %r" % err.strip())
    check(c.count() == 1, "a failing token command runs once (%d)" %
          c.count())

    # A hanging one ends at four times the timeout.
    h = Client("imap", timeout=1)
    h.mode("hang")
    t0 = time.time()
    rc, out, err = h.run("sync")
    took = time.time() - t0
    check(rc != 0 and "oauth2_token_command" in err and
          "access token within 4 seconds" in err,
          "a hanging token command is stopped: %r" % err.strip())
    check(took < 30, "the hang ended in %.1f s" % took)

    # SMTP, through Postfix and Dovecot's SASL.
    if ENV.get("POSTIE_TEST_NO_SMTP"):
        print("# SMTP skipped: %s" % ENV["POSTIE_TEST_NO_SMTP"])
    else:
        c.mode("good")
        msg = ("From: Alice Martin <alice@example.org>\nTo: "
               "bob@example.org\nSubject: oauth smtp\n\nhi\n").encode()
        rc, out, err = c.run("send", stdin=msg)
        check(rc == 0, "SMTP: send signs in with the token (%s)" %
              err.strip())
        c.mode("expired-once")
        rc, out, err = c.run("send", stdin=msg)
        # send also signs in to IMAP for the Sent copy: three tokens in
        # all, and Postfix saw one refused AUTH, then one accepted.
        with open(ENV["POSTIE_TEST_POSTFIX_LOG"], errors="replace") as f:
            plog = f.read()
        check(rc == 0 and c.count() == 3 and "auth=1/2" in plog,
              "SMTP: an expired token is refreshed once (%s, %d)" %
              (err.strip(), c.count()))

    # POP3.
    p = Client("pop3")
    rc, out, err = p.run("sync")
    check(rc == 0, "POP3: sync with an OAuth2 token works (%s)" %
          err.strip())
    p.mode("expired-once")
    rc, out, err = p.run("sync")
    check(rc == 0 and p.count() == 2,
          "POP3: an expired token is refreshed once (%s, %d)" %
          (err.strip(), p.count()))
    p.mode("expired")
    rc, out, err = p.run("sync")
    check(rc != 0 and p.count() == 2,
          "POP3: a refused token: two tries (%d): %r" % (p.count(),
                                                          err.strip()))

    if FAILED:
        print("%d failed" % len(FAILED))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
