#!/usr/bin/env python3
"""SIGKILL while sending: no message lost, none sent twice.

200 messages are queued (postie send --queue); then `postie sync w`, which
sends the outbox, is killed at random moments again and again until
nothing is left queued.  Afterwards, read back over IMAP from the
harness Postfix's deliveries:
- every message was delivered exactly once, or is still in the outbox as
  `unknown` (the connection may have ended after its final dot), and an
  `unknown` one was delivered at most once;
- no message was delivered twice;
- nothing is left `queued` or `sending`.

Run under tests/server/with-dovecot with $POSTIE; skipped (77) without
Postfix.  POSTIE_KILL_SEED replays a run.
"""
import imaplib
import os
import random
import re
import signal
import ssl
import subprocess
import sys
import tempfile
import time

POSTIE = os.environ["POSTIE"]
ENV = os.environ
N = int(ENV.get("POSTIE_SEND_KILL_N", "200"))
FAILED = []


def check(cond, what):
    print(("ok - " if cond else "FAIL - ") + what, flush=True)
    if not cond:
        FAILED.append(what)
    return cond


def delivered(tag):
    """{subject: count} of bob's messages whose subject has tag."""
    ctx = ssl.create_default_context(cafile=ENV["POSTIE_TEST_CA"])
    m = imaplib.IMAP4_SSL(ENV["POSTIE_TEST_NAME"],
                          int(ENV["POSTIE_TEST_IMAPS_PORT"]),
                          ssl_context=ctx)
    m.login("bob", "pw-bob")
    m.select("INBOX", readonly=True)
    typ, data = m.uid("SEARCH", None, "SUBJECT", tag)
    out = {}
    uids = data[0].split() if data and data[0] else []
    if uids:
        typ, d = m.uid("FETCH", b",".join(uids),
                       "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        for item in d:
            if isinstance(item, tuple):
                s = item[1].decode().strip()
                s = re.sub(r"^Subject:\s*", "", s, flags=re.I)
                out[s] = out.get(s, 0) + 1
    m.logout()
    return out


def main():
    if ENV.get("POSTIE_TEST_NO_SMTP"):
        print("# skipped: %s" % ENV["POSTIE_TEST_NO_SMTP"])
        return 77
    seed = int(ENV.get("POSTIE_KILL_SEED", str(int(time.time()))))
    print("# seed %d" % seed)
    rnd = random.Random(seed)
    d = tempfile.mkdtemp(prefix="postie-send-kill-")
    cfg = os.path.join(d, "config")
    with open(cfg, "w") as fp:
        fp.write("[account w]\nprotocol = imap\nhost = %s\nport = %s\n"
                 "user = alice\npassword_command = echo pw-alice\n"
                 "ca_file = %s\ntimeout = 10\nfrom = alice@example.org\n"
                 "smtp_port = %s\n" %
                 (ENV["POSTIE_TEST_NAME"], ENV["POSTIE_TEST_IMAPS_PORT"],
                  ENV["POSTIE_TEST_CA"], ENV["POSTIE_TEST_SMTPS_PORT"]))
    os.chmod(cfg, 0o600)
    env = dict(os.environ)
    for k in ("DATA", "STATE", "CACHE", "CONFIG"):
        env["XDG_%s_HOME" % k] = os.path.join(d, k.lower())

    def run(*args, stdin=None):
        p = subprocess.run([POSTIE, "-c", cfg] + list(args), env=env,
                           capture_output=True, input=stdin, timeout=300)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    def outbox():
        rc, out, err = run("outbox")
        return [l.split("\t") for l in out.splitlines() if l]

    tag = "kill%d" % seed
    pad = "".join("line %d of some text to make it about 50 KB\n" % i
                  for i in range(1100))
    for i in range(N):
        msg = ("From: alice@example.org\nTo: bob@example.org\n"
               "Subject: %s-%03d\n\n%s" % (tag, i, pad)).encode()
        rc, out, err = run("send", "--queue", stdin=msg)
        if not check(rc == 0, "queued %d (%s)" % (i, err.strip())):
            return 1
    kills = runs = 0
    while runs < 60:
        queued = [r for r in outbox() if r[2] in ("queued", "sending")]
        if not queued:
            break
        runs += 1
        p = subprocess.Popen([POSTIE, "-c", cfg, "sync", "w"], env=env,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        try:
            p.wait(timeout=rnd.uniform(0.05, 1.5))
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGKILL)
            p.wait()
            kills += 1
    print("# %d runs, %d killed" % (runs, kills))
    check(kills > 0, "at least one send was killed (%d)" % kills)
    # On a slow machine the kills may come before the queue is through:
    # a sync that is not killed sends the rest.
    rc, out, err = run("sync", "w")
    check(rc == 0, "after the kills a plain sync succeeds (%s)" %
          err.strip())
    ob = outbox()
    check(not [r for r in ob if r[2] in ("queued", "sending")],
          "nothing is left queued: %s" % ob[:3])
    unknown = set(r[5] for r in ob if r[2] == "unknown")
    print("# %d unknown" % len(unknown))
    # Postfix delivers over LMTP right away; give it a moment.
    want = set("%s-%03d" % (tag, i) for i in range(N))
    end = time.time() + 60
    got = {}
    while time.time() < end:
        got = delivered(tag)
        if set(got) | unknown >= want:
            break
        time.sleep(1)
    twice = [s for s, n in got.items() if n > 1]
    check(not twice, "no message delivered twice: %s" % twice[:5])
    lost = sorted(want - set(got) - unknown)
    check(not lost, "every message delivered or in the outbox as unknown: "
          "%d lost (%s)" % (len(lost), lost[:5]))
    check(not (set(got) - want), "nothing else delivered")
    if FAILED:
        print("%d checks failed" % len(FAILED))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
