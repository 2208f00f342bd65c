#!/usr/bin/env python3
"""Changes a server refuses never stay in the cache (IMAP, harness Dovecot).

A folder "Public" of alice's is made read-only but for \\Seen through
Dovecot's ACLs (a dovecot-acl file "owner lrs", as a shared folder with
"anyone lrs"): its SELECT says [PERMANENTFLAGS (\\Seen)]; Dovecot answers
OK to a STORE or EXPUNGE it does not keep and NO [NOPERM] to a COPY into
it.  Changes made while the cache still thought the folder writable are
refused at the replay, undone, told on stderr, and the folder synced
whole: after the sync, and again after a restart and a sync, the cache
holds exactly what the server holds.  Once the cache knows, the change is
refused before it is made.  A refused bulk change (many messages, one
command) is one sentence, not one per message.  Runs under tests/server/with-dovecot with
$POSTIE and $top_builddir (the helper check_sync_imap_ops).

Against Cyrus (tests/server/with-cyrus) the folder's ACL is set over
IMAP by the admin (SETACL alice lrs, what "anyone lrs" gives a shared
folder's readers; alice may not change her own folders' ACLs there): its
SELECT says [PERMANENTFLAGS (\\Seen)] too, and it answers NO to the
STORE and the EXPUNGE.  Both servers offer ACL: once postie synced the
folder, its MYRIGHTS (no "i") refuse a copy into it before it is made.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sync_imap as si  # noqa: E402
ENV = os.environ
from sync_imap import check  # noqa: E402


def letters(flags):
    """The letters `postie list` shows for IMAP flags."""
    return ("" if "\\Seen" in flags else "N") + \
        ("F" if "\\Flagged" in flags else "") + \
        ("D" if "\\Deleted" in flags else "")


def same(c, folder, label):
    lines = c.lines(folder)
    got = {l[4]: "".join(ch for ch in l[1] if ch in "NFD") for l in lines}
    server = si.server_msgs(folder)
    want = {subj: letters(fl) for _, fl, subj in server}
    check(len(lines) == len(server) and got == want,
          "%s: the cache equals the server (cache %r, server %r)" %
          (label, got, want))


def read_only(folder):
    """Leaves alice only the rights lrs on folder (Dovecot: a dovecot-acl
    file in its Maildir; Cyrus: SETACL)."""
    if si.SERVER.startswith("cyrus"):
        # As the admin (tests/server/altserver.py): alice's own rights
        # on her folders do not include changing their ACL.
        m = si.imaplib.IMAP4_SSL(
            ENV["POSTIE_TEST_NAME"], int(ENV["POSTIE_TEST_IMAPS_PORT"]),
            ssl_context=si.ssl.create_default_context(
                cafile=ENV["POSTIE_TEST_CA"]))
        m.login("cyrus", "pw-cyrus-admin")
        typ, data = m.setacl('"user/alice/%s"' % folder, "alice", "lrs")
        m.logout()
        check(typ == "OK", "SETACL %s alice lrs (%s)" % (folder, data))
        return
    acl = os.path.join(os.environ["POSTIE_TEST_MAILDIR_alice"], folder,
                       "dovecot-acl")
    with open(acl, "w") as f:
        f.write("owner lrs\n")
    os.chmod(acl, 0o644)


def grouped():
    """A bulk change (tagged messages: one op each) goes out as one
    command for all; refused, it is one sentence, not one per message,
    and every message comes back as the server keeps it."""
    m = si.imap()
    m.create("ReadOnly")
    m.create("Bulk")
    m.logout()
    ro = ["RO %d" % i for i in range(4)]
    bulk = ["Bulk %d" % i for i in range(6)]
    for subj in ro:
        si.append("ReadOnly", subj)
    for subj in bulk:
        si.append("Bulk", subj, "\\Seen")
    c = si.Client()
    rc, err = c.sync()
    check(rc == 0 and len(c.lines("ReadOnly")) == 4 and
          len(c.lines("Bulk")) == 6, "grouped: first sync (%s)" % err)
    read_only("ReadOnly")
    # While the cache still thinks ReadOnly writable.
    for args in (("ReadOnly", "flag"), ("Bulk", "move", "ReadOnly")):
        p = c.helper("bulk", *args)
        check(p.returncode == 0, "queued: bulk %s (%s)" %
              (" ".join(args), p.stderr.decode().strip()))
    check(len(c.lines("Bulk")) == 0 and len(c.lines("ReadOnly")) == 10,
          "the bulk move shows at once")
    rc, err = c.sync()
    print("# sync said: %s" % err)
    told = [l for l in err.splitlines() if "refused" in l]
    check(len(told) == 2, "two bulk changes refused: two sentences, not "
          "one per message (%d)" % len(told))
    check(any("refused to change the flags of 4 messages in ReadOnly" in l
              for l in told), "the refused bulk flag change is told once")
    check(any("refused to move 6 messages to ReadOnly from Bulk" in l
              for l in told), "the refused bulk move is told once")
    check(len([s for _, _, s in si.server_msgs("Bulk")]) == 6,
          "the server kept every message in Bulk")
    same(c, "ReadOnly", "grouped: ReadOnly after the refusals")
    same(c, "Bulk", "grouped: Bulk after the refused move")
    rc, err = c.sync()
    check(rc == 0 and "refused" not in err, "grouped: a second sync is "
          "clean (%s)" % err)
    same(c, "ReadOnly", "grouped: ReadOnly after a restart and a sync")
    same(c, "Bulk", "grouped: Bulk after a restart and a sync")
    c.cleanup()


def main():
    m = si.imap()
    m.create("Public")
    m.logout()
    for subj in ("Pub one", "Pub two", "Pub three"):
        si.append("Public", subj)
    si.append("INBOX", "Private note")
    c = si.Client()
    rc, err = c.sync()
    check(rc == 0, "first sync (%s)" % err)
    check(len(c.lines("Public")) == 3, "Public is in the cache")
    print("# Public: %r" % c.lines("Public"))
    read_only("Public")
    # Made here while the cache still thinks Public writable.
    for args in (("Public", "flag", "Pub one"),
                 ("Public", "expunge", "Pub two"),
                 ("INBOX", "copy", "Private note", "Public")):
        p = c.helper("edit", *args)
        check(p.returncode == 0, "queued: %s (%s)" %
              (" ".join(args), p.stderr.decode().strip()))
    rc, err = c.sync()
    print("# sync said: %s" % err)
    check("refused to change the flags of a message in Public" in err,
          "the refused flag change is told")
    check("refused to mark a message deleted in Public" in err or
          "refused to remove the deleted messages in Public" in err,
          "the refused expunge is told")
    check("refused to copy a message to Public from INBOX" in err,
          "the refused copy is told")
    same(c, "Public", "after the refusals")
    same(c, "INBOX", "INBOX after the refused copy")
    # A restart and a sync: nothing comes back wrong.
    rc, err = c.sync()
    check(rc == 0 and "refused" not in err, "a second sync is clean (%s)"
          % err)
    same(c, "Public", "after a restart and a sync")
    # Now the cache knows: refused before it is made.
    p = c.helper("edit", "Public", "flag", "Pub three")
    e = p.stderr.decode()
    check(p.returncode != 0 and "keeps only \\Seen in Public" in e,
          "flagging in Public is refused at once (%s)" % e.strip())
    p = c.helper("edit", "Public", "delete", "Pub three")
    check(p.returncode != 0, "deleting in Public is refused at once")
    p = c.helper("edit", "INBOX", "copy", "Private note", "Public")
    e = p.stderr.decode()
    check(p.returncode != 0 and "takes no messages into Public" in e,
          "copying into Public is refused at once (MYRIGHTS: %s)" %
          e.strip())
    p = c.helper("edit", "Public", "seen", "Pub three")
    check(p.returncode == 0, "\\Seen may still change in Public (%s)"
          % p.stderr.decode().strip())
    rc, err = c.sync()
    check(rc == 0 and "refused" not in err, "the \\Seen change replays")
    check(any(subj == "Pub three" and "\\Seen" in fl
              for _, fl, subj in si.server_msgs("Public")),
          "the server keeps \\Seen")
    same(c, "Public", "after the \\Seen change")
    c.cleanup()
    grouped()
    if si.FAILED:
        print("%d check(s) failed" % len(si.FAILED))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
