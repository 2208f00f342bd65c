# Harness start/stop and with-dovecot leave nothing behind (not run under
# with-dovecot: it starts and stops servers itself).
srcdir=${top_srcdir:-$(dirname "$0")/../..}
exec "${PYTHON:-python3}" "$srcdir/tests/server/lifecycle.py"
