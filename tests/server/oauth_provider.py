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

Dovecot checks the signature, exp, nbf and that the token's "sub" is the
user named in the SASL message; a token that fails answers the client
with an OAUTHBEARER error challenge, as a provider's server does.
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import time

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
        f.write("auth_mechanisms = plain login oauthbearer xoauth2\n"
                "passdb {\n"
                "  driver = oauth2\n"
                "  mechanisms = oauthbearer xoauth2\n"
                "  args = %s\n"
                "}\n" % conf)


def main(argv):
    if len(argv) == 3 and argv[1] == "setup":
        setup(argv[2])
    elif len(argv) == 5 and argv[1] == "mint":
        print(mint(argv[2], argv[3], int(argv[4])))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
