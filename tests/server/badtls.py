#!/usr/bin/env python3
"""Bad-certificate TLS listeners and a silent listener for postie's tests.

Usage: badtls.py CERTDIR PORTFILE [OWNERPID HARNESS DIR]

Binds 127.0.0.1 port 0 once per listener, writes "NAME PORT" lines to
PORTFILE (atomically, when every socket listens) and serves until killed:

  wronghost   certificate for other.example.org, signed by the test CA
  expired     certificate for localhost, signed by the test CA, expired
  selfsigned  self-signed certificate for localhost
  unknownca   certificate for localhost signed by a CA nobody trusts
  silent      plain TCP; accepts and never sends a byte

After the TLS handshake each TLS listener greets like an IMAP server and
answers CAPABILITY, NOOP and LOGOUT; anything else gets a BAD.  This is test
tooling for certificate checks, not a stand-in for the mail server.

With OWNERPID, it also watches that process (with-dovecot): should it die
without stopping the harness (SIGKILL, a timeout), it runs
"HARNESS stop DIR" so no Dovecot is left behind.
"""

import os
import socket
import ssl
import subprocess
import sys
import threading
import time

GREETING = b"* OK [CAPABILITY IMAP4rev1] bad-cert test server ready\r\n"
IDLE_TIMEOUT = 60  # seconds a client may stay silent before we hang up
MAX_LINE = 8192

TLS_LISTENERS = [
    ("wronghost", "other"),
    ("expired", "expired"),
    ("selfsigned", "selfsigned"),
    ("unknownca", "unknownca"),
]


def make_context(certdir, stem):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    # Only the leaf: the chain a misconfigured server would send.
    ctx.load_cert_chain(os.path.join(certdir, stem + ".pem"),
                        os.path.join(certdir, stem + ".key"))
    return ctx


def read_line(conn):
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = conn.recv(1)
        if not chunk:
            return None
        buf += chunk
        if len(buf) > MAX_LINE:
            return None
    return buf


def serve_imap(conn):
    conn.sendall(GREETING)
    while True:
        line = read_line(conn)
        if line is None:
            return
        parts = line.strip().split(None, 2)
        if len(parts) < 2:
            conn.sendall(b"* BAD missing tag or command\r\n")
            continue
        tag, cmd = parts[0], parts[1].upper()
        if cmd == b"LOGOUT":
            conn.sendall(b"* BYE bad-cert test server logging out\r\n" +
                         tag + b" OK LOGOUT completed\r\n")
            return
        if cmd == b"CAPABILITY":
            conn.sendall(b"* CAPABILITY IMAP4rev1\r\n" + tag +
                         b" OK CAPABILITY completed\r\n")
        elif cmd == b"NOOP":
            conn.sendall(tag + b" OK NOOP completed\r\n")
        else:
            conn.sendall(tag + b" BAD this test server only knows "
                         b"CAPABILITY, NOOP and LOGOUT\r\n")


def handle_tls(raw, ctx):
    try:
        raw.settimeout(IDLE_TIMEOUT)
        with ctx.wrap_socket(raw, server_side=True) as conn:
            serve_imap(conn)
            try:
                conn.unwrap()
            except (OSError, ValueError):
                pass
    except (OSError, ssl.SSLError, ValueError):
        pass  # clients that reject the certificate abort the handshake
    finally:
        raw.close()


def handle_silent(raw):
    try:
        raw.settimeout(IDLE_TIMEOUT * 5)
        while raw.recv(4096):
            pass
    except OSError:
        pass
    finally:
        raw.close()


def accept_loop(lsock, handler, *args):
    while True:
        try:
            raw, _ = lsock.accept()
        except OSError:
            continue
        t = threading.Thread(target=handler, args=(raw,) + args, daemon=True)
        t.start()


def listen():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    return s


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def watch(owner, harness, dirpath):
    while alive(owner):
        time.sleep(1)
    # The owner died without "harness stop": do it for it.  The stop kills
    # this process too, so it runs in its own session.
    subprocess.Popen([sys.executable, harness, "stop", dirpath],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(30)


def main():
    if len(sys.argv) not in (3, 6):
        sys.stderr.write("usage: badtls.py CERTDIR PORTFILE "
                         "[OWNERPID HARNESS DIR]\n")
        return 2
    certdir, portfile = sys.argv[1], sys.argv[2]
    threads, lines = [], []
    for name, stem in TLS_LISTENERS:
        ctx = make_context(certdir, stem)
        s = listen()
        lines.append("%s %d\n" % (name, s.getsockname()[1]))
        threads.append(threading.Thread(target=accept_loop,
                                        args=(s, handle_tls, ctx),
                                        daemon=True))
    s = listen()
    lines.append("silent %d\n" % s.getsockname()[1])
    threads.append(threading.Thread(target=accept_loop,
                                    args=(s, handle_silent), daemon=True))
    for t in threads:
        t.start()
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.writelines(lines)
    os.rename(tmp, portfile)
    if len(sys.argv) == 6:
        watch(int(sys.argv[3]), sys.argv[4], sys.argv[5])
    else:
        threading.Event().wait()  # until SIGTERM
    return 0


if __name__ == "__main__":
    sys.exit(main())
