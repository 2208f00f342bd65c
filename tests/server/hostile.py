#!/usr/bin/env python3
"""A scripted hostile mail server for postie's security tests.

Usage: hostile.py SCENARIO CERTDIR PORTFILE TRANSCRIPT

Listens on 127.0.0.1 (port 0), writes the port number to PORTFILE, serves
ONE connection as SCENARIO says (or as many, one after the other, as
"connections: N" says; each starts the counts of "on WORD#N" afresh),
records every byte the client sent in TRANSCRIPT (each line prefixed
"plain: " or "tls: "), and exits.

A scenario is a small declarative file, one "key: value" per line:

  protocol: imap | pop3 | smtp    how to find the command word and the tag
  implicit-tls: yes               TLS from the first byte (default no)
  cert: server | other | expired | selfsigned | unknownca
                                  certificate presented (default server)
  greeting: BYTES                 sent on connect (omit it: never speak)
  on WORD: BYTES                  reply to command WORD before TLS
  tls on WORD: BYTES              reply to command WORD after TLS
  on WORD#N: BYTES                reply to the Nth WORD only (1 = first),
                                  before or after TLS; wins over on WORD
  on WORD@C: BYTES                reply to WORD on the Cth connection only
                                  (1 = first; "connections: N"), before or
                                  after TLS; wins over both
  on WORD in FOLDER[@C]: BYTES    IMAP: reply to WORD while FOLDER (the
                                  argument of the last SELECT or EXAMINE,
                                  as sent, without its quotes) is
                                  selected, a SELECT of it included;
                                  "in FOLDER@C" wins over "@C", which wins
                                  over "in FOLDER", over "#N" and WORD
  default: BYTES                  reply to any other command before TLS
  tls default: BYTES              ... after TLS
  starttls: yes                   after replying to STARTTLS/STLS, really
                                  start TLS (default no)
  after-tls: proxy                after the handshake, hand the session to
                                  the real Dovecot of the harness (plain
                                  port on 127.0.0.1 from env PROXY_PORT;
                                  its greeting is swallowed)

IMAP: the line DONE that ends an IDLE is the word DONE with the IDLE's
tag (default reply "{tag} OK IDLE terminated").

SMTP: the word is the command's first word (MAIL, RCPT, ...).  After a
reply to DATA that starts with 354 the server reads the message up to the
lone "." (recording each line as "data: LINE") and answers it as the
word DOT (default "250 2.0.0 queued").  After each MAIL line it records
"<buffered: WORDS>" naming the commands already received behind it (the
client's pipelining).

BYTES is text with escapes: \\r \\n \\t \\e (ESC) \\0 \\xHH, {tag} (the
client's tag, IMAP), {repeat:N:TEXT} (TEXT N times), {numbered:N:TEXT}
(TEXT N times, its %n the count 1..N; TEXT may hold {...} such as a
literal's size), and may end with one action:
@close (hang up after sending), @hang (send and then never answer again),
@endless (then send 'A' bytes until the client hangs up or 256 MiB went
out), @drip:SECONDS[:TEXT] (then send TEXT, default 'A', over and over,
one byte every SECONDS, until the client hangs up or 10 minutes passed).
Everything the client sends is hostile to us too: lines are capped at
64 KiB in the transcript.
"""
import os
import re
import socket
import ssl
import sys
import threading
import time

MAX_LINE = 65536


ESCAPES = {"r": b"\r", "n": b"\n", "t": b"\t", "e": b"\x1b", "0": b"\0", "\\": b"\\"}


def unescape(text):
    # By pieces, not by character: a reply may be megabytes
    # ({numbered:100000:...}) and must go out within the client's timeout.
    parts = re.split(r"(\\x[0-9a-fA-F]{2}|\\.)", text, flags=re.S)
    out = []
    for k, part in enumerate(parts):
        if k % 2 == 0:
            out.append(part.encode())
        elif len(part) == 4:
            out.append(bytes([int(part[2:4], 16)]))
        else:
            out.append(ESCAPES.get(part[1], part[1].encode()))
    return b"".join(out)


def expand(value, tag):
    action = None
    m = re.search(r"\s*@(close|hang|endless)\s*$", value)
    d = re.search(r"\s*@drip:([0-9.]+)(?::(.*))?$", value)
    if m:
        action = m.group(1)
        value = value[:m.start()]
    elif d:
        action = ("drip", float(d.group(1)), unescape(d.group(2)) if d.group(2) else b"A")
        value = value[:d.start()]
    value = value.replace("{tag}", tag)
    # Repeated text is unescaped once, then repeated as bytes.
    out = []
    pos = 0
    for m in re.finditer(r"\{(repeat|numbered):(\d+):((?:[^{}]|\{[^{}]*\})*)\}", value):
        if m.group(1) == "repeat" and "}" in m.group(3):
            continue  # TEXT of repeat stops at the first "}"
        out.append(unescape(value[pos:m.start()]))
        text, n = unescape(m.group(3)), int(m.group(2))
        if m.group(1) == "repeat":
            out.append(text * n)
        else:
            out.append(b"".join(text.replace(b"%n", b"%d" % i) for i in range(1, n + 1)))
        pos = m.end()
    out.append(unescape(value[pos:]))
    return b"".join(out), action


def load(path):
    sc = {"on": {}, "tls on": {}}
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, _, value = line.partition(":")
            key, value = key.strip(), value.lstrip(" ")
            m = re.match(r"^(tls on|on) (\S+)( in .+)?$", key)
            if m:
                sc[m.group(1)][m.group(2).upper() + (m.group(3) or "")] = value
            else:
                sc[key] = value
    return sc


class Session:
    def __init__(self, sc, sock, certdir, transcript, conn=1):
        self.sc, self.sock, self.certdir = sc, sock, certdir
        self.conn = conn
        self.tls = False
        self.buf = b""
        self.count = {}
        self.log = open(transcript, "ab", buffering=0)

    def context(self):
        stem = self.sc.get("cert", "server")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(os.path.join(self.certdir, stem + ".pem"),
                            os.path.join(self.certdir, stem + ".key"))
        return ctx

    def start_tls(self):
        self.sock = self.context().wrap_socket(self.sock, server_side=True)
        self.tls = True
        self.buf = b""

    def send(self, data, action):
        if data:
            self.sock.sendall(data)
        if action == "close":
            raise EOFError
        if action == "hang":
            while self.sock.recv(4096):
                pass
            raise EOFError
        if isinstance(action, tuple) and action[0] == "drip":
            _, every, text = action
            end = time.monotonic() + 600
            i = 0
            while time.monotonic() < end:
                time.sleep(every)
                self.sock.sendall(text[i % len(text):i % len(text) + 1])
                i += 1
            raise EOFError
        if action == "endless":
            chunk = b"A" * 65536
            for _ in range(4096):
                self.sock.sendall(chunk)
            raise EOFError

    def readline(self):
        while b"\n" not in self.buf:
            if len(self.buf) > MAX_LINE:
                line, self.buf = self.buf, b""
                return line
            data = self.sock.recv(4096)
            if not data:
                raise EOFError
            self.buf += data
        line, _, self.buf = self.buf.partition(b"\n")
        return line + b"\n"

    def record(self, line):
        self.log.write((b"tls: " if self.tls else b"plain: ") + line[:MAX_LINE].rstrip(b"\r\n") + b"\n")

    def record_buffered(self):
        """Records which commands arrived with MAIL (pipelining)."""
        self.sock.setblocking(False)
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    break
                self.buf += data
        except (BlockingIOError, ssl.SSLWantReadError):
            pass
        finally:
            self.sock.setblocking(True)
            self.sock.settimeout(120)
        words = [w.split()[0].upper() for w in self.buf.decode(
            "latin-1").split("\n") if w.split()]
        self.record(("<buffered: %s>" % ",".join(words)).encode())

    def read_data(self):
        """The message after a 354, up to the lone dot; then its reply."""
        while True:
            line = self.readline()
            if line.rstrip(b"\r\n") == b".":
                break
            self.log.write(b"data: " + line[:MAX_LINE].rstrip(b"\r\n") +
                           b"\n")
        self.send(*self.reply_for("DOT", ""))

    def reply_for(self, word, tag):
        table = self.sc["tls on"] if self.tls else self.sc["on"]
        self.count[word] = self.count.get(word, 0) + 1
        nth = "%s#%d" % (word, self.count[word])
        at = "%s@%d" % (word, self.conn)
        inf = "%s in %s" % (word, getattr(self, "selected", ""))
        value = None
        for k in (inf + "@%d" % self.conn, at, inf, nth):
            value = table.get(k, self.sc["on"].get(k))
            if value is not None:
                break
        if value is None:
            value = table.get(word)
        if value is None:
            value = self.sc.get("tls default" if self.tls else "default")
        if value is None:
            if self.sc.get("protocol") == "pop3":
                value = "-ERR unknown command\\r\\n"
            elif self.sc.get("protocol") == "smtp":
                value = ("250 2.0.0 queued\\r\\n" if word == "DOT" else
                         "502 5.5.2 unknown command\\r\\n")
            elif word == "DONE":
                value = "{tag} OK IDLE terminated\\r\\n"
            else:
                value = "{tag} BAD unknown command\\r\\n"
        return expand(value, tag)

    def proxy(self):
        port = int(os.environ["PROXY_PORT"])
        up = socket.create_connection(("127.0.0.1", port), timeout=30)
        f = up.makefile("rb")
        f.readline()  # the real server's greeting: the client saw ours
        pending = self.buf
        self.buf = b""
        if pending:
            self.record(pending)
            up.sendall(pending)
        up.settimeout(None)
        self.sock.settimeout(None)

        def pump_up():
            try:
                while True:
                    data = self.sock.recv(65536)
                    if not data:
                        break
                    self.record(data)
                    up.sendall(data)
            except OSError:
                pass
            try:
                up.shutdown(socket.SHUT_WR)
            except OSError:
                pass

        t = threading.Thread(target=pump_up, daemon=True)
        t.start()
        try:
            while True:
                data = up.recv(65536)
                if not data:
                    break
                self.sock.sendall(data)
        except OSError:
            pass
        t.join(5)

    def run(self):
        sc = self.sc
        if sc.get("implicit-tls") == "yes":
            self.start_tls()
            if sc.get("after-tls") == "proxy":
                if "greeting" in sc:
                    self.send(*expand(sc["greeting"], "*"))
                return self.proxy()
        if "greeting" not in sc:
            self.send(b"", "hang")
        self.send(*expand(sc["greeting"], "*"))
        while True:
            line = self.readline()
            self.record(line)
            words = line.decode("latin-1").split()
            if sc.get("protocol") in ("pop3", "smtp"):
                tag, word = "", (words[0] if words else "").upper()
            elif len(words) == 1 and words[0].upper() == "DONE":
                tag, word = getattr(self, "idle_tag", "*"), "DONE"
            else:
                tag = words[0] if words else "*"
                word = (words[1] if len(words) > 1 else "").upper()
                if word == "IDLE":
                    self.idle_tag = tag
                if word in ("SELECT", "EXAMINE") and len(words) > 2:
                    arg = line.decode("utf-8", "replace").split(None, 2)[2]
                    self.selected = arg.strip().split(" (")[0].strip('"')
            if sc.get("protocol") == "smtp" and word == "MAIL":
                self.record_buffered()
            data, action = self.reply_for(word, tag)
            self.send(data, action)
            if sc.get("protocol") == "smtp" and word == "DATA" and \
                    data.startswith(b"354"):
                self.read_data()
            if word in ("STARTTLS", "STLS") and not self.tls and sc.get("starttls") == "yes":
                self.start_tls()
                if sc.get("after-tls") == "proxy":
                    return self.proxy()
            if word in ("LOGOUT", "QUIT"):
                return


def main():
    scenario, certdir, portfile, transcript = sys.argv[1:5]
    sc = load(scenario)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    srv.settimeout(120)
    for conn in range(1, int(sc.get("connections", "1")) + 1):
        try:
            sock, _ = srv.accept()
        except socket.timeout:
            return 1
        sock.settimeout(120)
        try:
            Session(sc, sock, certdir, transcript, conn).run()
        except (EOFError, OSError, ssl.SSLError):
            pass
        finally:
            try:
                sock.close()
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
