#!/bin/sh
# sync_imap, refused_imap (an "lrs" folder: MYRIGHTS, NO to STORE and
# EXPUNGE) and a shorter multiproc against one Cyrus (tests/server/README.md,
# "Other servers"); SKIP when its Debian packages cannot be had.
POSTIE_MULTIPROC_SECONDS=${POSTIE_MULTIPROC_SECONDS:-20}
export POSTIE_MULTIPROC_SECONDS
exec /bin/sh "$top_srcdir/tests/server/with-cyrus" \
    "$top_srcdir/tests/integration/servers/several.sh" \
    sync_imap refused_imap multiproc
