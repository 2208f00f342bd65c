# Every test fragment; each area owns its own file.
include tests/unit/core/local.mk
include tests/unit/net/conn.mk
include tests/unit/net/imap.mk
include tests/unit/net/pop3.mk
include tests/unit/mime/local.mk
include tests/unit/cache/local.mk
include tests/unit/ui/local.mk
include tests/server/local.mk
include tests/integration/conn.mk
include tests/integration/imap.mk
include tests/integration/pop3.mk
include tests/integration/cache.mk
include tests/tui/local.mk
include tests/fuzz/local.mk
include tests/integration/hostile.mk
include tests/integration/sync_imap.mk
include tests/integration/faults.mk
