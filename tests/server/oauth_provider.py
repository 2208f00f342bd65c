#!/usr/bin/env python3
"""The OAuth2 side of postie's tests: Dovecot's key and a token minter.

  oauth_provider.py setup DIR        write DIR/keys (the HS256 key Dovecot's
                                     oauth2 passdb validates tokens with,
                                     introspection_mode = local),
                                     DIR/oauth2.conf.ext and
                                     DIR/dovecot-extra.conf (the lines
                                     with-oauth hands to the harness)
  oauth_provider.py mint DIR SUB TTL print a signed access token (a JWT,
                                     RFC 7519) for user SUB that expires
                                     in TTL seconds (negative: already
                                     expired)
  oauth_provider.py serve DIR CERTDIR
                                     the provider: a token service on
                                     127.0.0.1 (TLS with the harness's
                                     server.pem), printing its port

The token service is small and follows RFC 6749 (authorization code,
refresh token), RFC 7636 (PKCE, S256 only) and RFC 8628 (device
authorization grant: authorization_pending, slow_down, access_denied,
expired_token).  The client id is "postie-test" (public client, no
secret).  The user is "alice" unless the test says otherwise.  Besides
the standard endpoints it has test controls:
  GET  /authorize?...            the user consents at once: 302 to the
                                 redirect_uri with code and state
  POST /control  action=revoke   every refresh token is revoked
                 action=ttl&ttl=N&lie=M  access tokens live N seconds,
                                 the answer claims M (expires_in)
                 action=approve&user_code=C (or deny)  the device user
                 action=stats    JSON counters

Dovecot checks the signature, exp, nbf and that the token's "sub" is the
user named in the SASL message; a token that fails answers the client
with an OAUTHBEARER error challenge, as a provider's server does.
"""
import base64
import hashlib
import hmac
import http.server
import json
import os
import secrets
import ssl
import sys
import threading
import time
import urllib.parse

KEY_FILE = "hs256.key"


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=")


def key(d):
    with open(os.path.join(d, KEY_FILE), "rb") as f:
        return f.read()


def mint(d, sub, ttl, **claims):
    now = int(time.time())
    head = b64u(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = {"sub": sub, "iat": now, "nbf": now - 5, "exp": now + ttl}
    body.update(claims)
    payload = b64u(json.dumps(body).encode())
    sig = b64u(hmac.new(key(d), head + b"." + payload,
                        hashlib.sha256).digest())
    return (head + b"." + payload + b"." + sig).decode()


def setup(d):
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o755)  # Dovecot's auth process reads the key
    k = os.urandom(32)
    with open(os.path.join(d, KEY_FILE), "wb") as f:
        f.write(k)
    # The key dict: azp "default", algorithm, key id "default"; the
    # value is the base64 of the HMAC key.
    kdir = os.path.join(d, "keys", "default", "HS256")
    os.makedirs(kdir)
    for p in (os.path.join(d, "keys"), os.path.join(d, "keys", "default"),
              kdir):
        os.chmod(p, 0o755)
    with open(os.path.join(kdir, "default"), "w") as f:
        f.write(base64.b64encode(k).decode())
    conf = os.path.join(d, "oauth2.conf.ext")
    with open(conf, "w") as f:
        f.write("introspection_mode = local\n"
                "local_validation_key_dict = fs:posix:prefix=%s/keys/\n"
                "username_attribute = sub\n" % d)
    with open(os.path.join(d, "dovecot-extra.conf"), "w") as f:
        # POSTIE_TEST_OAUTH_MECHS=xoauth2: only the older mechanism.
        mechs = os.environ.get("POSTIE_TEST_OAUTH_MECHS",
                               "oauthbearer xoauth2")
        f.write("auth_mechanisms = plain login %s\n"
                "passdb {\n"
                "  driver = oauth2\n"
                "  mechanisms = %s\n"
                "  args = %s\n"
                "}\n" % (mechs, mechs, conf))


CLIENT_ID = "postie-test"


class Provider:
    def __init__(self, d):
        self.d = d
        self.user = "alice"
        self.ttl = 300
        self.lie = None
        self.codes = {}     # code -> (challenge, redirect_uri, expiry)
        self.refresh = {}   # refresh token -> user (revoked: removed)
        self.devices = {}   # device_code -> dict
        self.stats = {"refresh": 0, "code": 0, "device": 0,
                      "device_polls": 0, "slow_down": 0}
        self.lock = threading.Lock()

    def tokens(self):
        rt = secrets.token_urlsafe(24)
        self.refresh[rt] = self.user
        return {"access_token": mint(self.d, self.user, self.ttl),
                "token_type": "Bearer",
                "expires_in": self.lie if self.lie is not None else self.ttl,
                "refresh_token": rt}


def make_handler(prov):
    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            sys.stderr.write("oauth_provider: " + fmt % args + "\n")

        def send_json(self, code, obj, extra=None):
            body = json.dumps(obj).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def err(self, code, error, desc=None):
            o = {"error": error}
            if desc:
                o["error_description"] = desc
            self.send_json(code, o)

        def form(self):
            n = int(self.headers.get("Content-Length", "0"))
            ctype = self.headers.get("Content-Type", "")
            raw = self.rfile.read(n).decode()
            if not ctype.startswith("application/x-www-form-urlencoded"):
                return None
            f = urllib.parse.parse_qs(raw, keep_blank_values=True)
            # RFC 6749 3.2: parameters must not be repeated.
            if any(len(v) != 1 for v in f.values()):
                return None
            return {k: v[0] for k, v in f.items()}

        def do_GET(self):
            u = urllib.parse.urlsplit(self.path)
            q = dict(urllib.parse.parse_qsl(u.query))
            if u.path != "/authorize":
                return self.err(404, "not_found")
            if (q.get("response_type") != "code" or
                    q.get("client_id") != CLIENT_ID or
                    q.get("code_challenge_method") != "S256" or
                    not q.get("code_challenge") or
                    not q.get("redirect_uri", "").startswith(
                        "http://127.0.0.1:")):
                return self.err(400, "invalid_request")
            code = secrets.token_urlsafe(16)
            with prov.lock:
                prov.codes[code] = (q["code_challenge"], q["redirect_uri"],
                                    time.time() + 60)
            loc = q["redirect_uri"] + ("&" if "?" in q["redirect_uri"]
                                       else "?") + urllib.parse.urlencode(
                {"code": code, "state": q.get("state", "")})
            self.send_response(302)
            self.send_header("Location", loc)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self):
            u = urllib.parse.urlsplit(self.path)
            f = self.form()
            if f is None:
                return self.err(400, "invalid_request", "not a form")
            with prov.lock:
                if u.path == "/control":
                    return self.control(f)
                if f.get("client_id") != CLIENT_ID:
                    return self.err(401, "invalid_client")
                if u.path == "/device":
                    return self.device(f)
                if u.path == "/token":
                    return self.token(f)
            return self.err(404, "not_found")

        def control(self, f):
            a = f.get("action")
            if a == "revoke":
                prov.refresh.clear()
            elif a == "ttl":
                prov.ttl = int(f["ttl"])
                prov.lie = int(f["lie"]) if f.get("lie") else None
            elif a in ("approve", "deny"):
                for dv in prov.devices.values():
                    if dv["user_code"] == f.get("user_code"):
                        dv["state"] = a
            elif a != "stats":
                return self.err(400, "invalid_request")
            self.send_json(200, dict(prov.stats,
                                     refresh_tokens=len(prov.refresh)))

        def device(self, f):
            dc = secrets.token_urlsafe(24)
            uc = "%04d-%04d" % (secrets.randbelow(10000),
                                secrets.randbelow(10000))
            prov.devices[dc] = {"user_code": uc, "state": "pending",
                                "interval": 1, "last": 0,
                                "expires": time.time() + 60}
            self.send_json(200, {
                "device_code": dc, "user_code": uc,
                "verification_uri": "https://%s/device" % self.headers.get(
                    "Host", "localhost"),
                "expires_in": 60, "interval": 1})

        def token(self, f):
            g = f.get("grant_type")
            if g == "refresh_token":
                prov.stats["refresh"] += 1
                if f.get("refresh_token") not in prov.refresh:
                    return self.err(400, "invalid_grant",
                                    "the refresh token was revoked")
                t = prov.tokens()
                del prov.refresh[t["refresh_token"]]
                t["refresh_token"] = f["refresh_token"]
                return self.send_json(200, t)
            if g == "authorization_code":
                prov.stats["code"] += 1
                c = prov.codes.pop(f.get("code"), None)
                if c is None or c[2] < time.time():
                    return self.err(400, "invalid_grant", "unknown code")
                v = f.get("code_verifier", "")
                want = base64.urlsafe_b64encode(hashlib.sha256(
                    v.encode()).digest()).rstrip(b"=").decode()
                if not 43 <= len(v) <= 128 or want != c[0]:
                    return self.err(400, "invalid_grant", "PKCE failed")
                if f.get("redirect_uri") != c[1]:
                    return self.err(400, "invalid_grant",
                                    "redirect_uri differs")
                return self.send_json(200, prov.tokens())
            if g == "urn:ietf:params:oauth:grant-type:device_code":
                prov.stats["device_polls"] += 1
                dv = prov.devices.get(f.get("device_code"))
                if dv is None:
                    return self.err(400, "invalid_grant")
                now = time.time()
                if now > dv["expires"]:
                    return self.err(400, "expired_token")
                if dv["state"] == "deny":
                    return self.err(400, "access_denied")
                if dv["state"] == "approve":
                    del prov.devices[f["device_code"]]
                    prov.stats["device"] += 1
                    return self.send_json(200, prov.tokens())
                too_soon = now - dv["last"] < dv["interval"] - 0.05
                dv["last"] = now
                if too_soon:
                    prov.stats["slow_down"] += 1
                    dv["interval"] += 5 if dv["interval"] > 1 else 1
                    return self.err(400, "slow_down")
                return self.err(400, "authorization_pending")
            return self.err(400, "unsupported_grant_type")
    return H


def serve(d, certdir):
    prov = Provider(d)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                          make_handler(prov))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(certdir, "server.pem"),
                        os.path.join(certdir, "server.key"))
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    print(srv.server_address[1], flush=True)
    srv.serve_forever()


def main(argv):
    if len(argv) == 3 and argv[1] == "setup":
        setup(argv[2])
    elif len(argv) == 4 and argv[1] == "serve":
        serve(argv[2], argv[3])
    elif len(argv) == 5 and argv[1] == "mint":
        print(mint(argv[2], argv[3], int(argv[4])))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
