#!/usr/bin/env python3
"""greeter.py PORTFILE: a plaintext IMAP server on loopback that greets,
answers CAPABILITY, and refuses every login.

postie reads an account's password only once the connection is open and
secured (cache/login.c), so a test of what happens around the
password_command (its child's output, the process's core-dump limits)
needs a server that gets that far; Dovecot would be a whole harness for
a greeting.  Writes the port it listens on to PORTFILE, then serves until
killed.
"""
import socket
import sys
import threading


def serve(conn):
    with conn:
        f = conn.makefile("rwb", buffering=0)
        f.write(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] greeter ready\r\n")
        for line in f:
            parts = line.split(None, 2)
            if len(parts) < 2:
                continue
            tag, cmd = parts[0], parts[1].upper()
            if cmd == b"CAPABILITY":
                f.write(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag +
                        b" OK done\r\n")
            elif cmd == b"LOGOUT":
                f.write(b"* BYE bye\r\n" + tag + b" OK done\r\n")
                return
            elif cmd == b"AUTHENTICATE":
                f.write(b"+ \r\n")
                f.readline()
                f.write(tag + b" NO [AUTHENTICATIONFAILED] no\r\n")
            else:
                f.write(tag + b" NO [AUTHENTICATIONFAILED] no\r\n")


def main():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    with open(sys.argv[1] + ".tmp", "w") as out:
        out.write("%d\n" % s.getsockname()[1])
    import os
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
