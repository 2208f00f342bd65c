/*
 * mailcap: finds a viewer for a MIME type (RFC 1524, the common subset)
 * and builds its command line for /bin/sh -c.
 *
 * The rule: no string from a message ever reaches a shell.  The entry
 * itself is the user's; what is put into it is checked here, so that
 * `cat %s`, `cat '%s'` and `cat "%s"` are all safe:
 *   %s       the file's path.  It must be a name postie made (see
 *            ui_save_temp): letters, digits, '/', '.', '_', '-' only,
 *            not starting with '-'; anything else is refused.
 *   %t       the content type: a letter or digit, then letters, digits
 *            and "/+._-", at most 127 bytes; anything else is refused.
 *   %{name}  a parameter of the attachment's Content-Type (charset...):
 *            a letter or digit, then letters, digits and "+._-", at most
 *            64 bytes; absent, it is empty; anything else is refused,
 *            with a sentence naming the parameter.
 *   %%       a percent sign; "\x" is x (so "\;" and "\%" work).
 * Other % sequences are kept as written.  test= commands are expanded
 * the same way and run through core/spawn (no terminal, output dropped,
 * 10 s at most).  Without %s the file is given on standard input.
 *
 * Entries are read from the files in $MAILCAPS (colon-separated), else
 * ~/.mailcap then /etc/mailcap; the first entry whose type matches
 * ("type/sub"; "type/" + "*" and a bare "type" match every subtype) and whose
 * test succeeds is used.
 */
#ifndef POSTIE_UI_MAILCAP_H
#define POSTIE_UI_MAILCAP_H

#include "core/buf.h"
#include "core/error.h"

/* The longest extension kept from an attachment's name, without the dot. */
#define MAILCAP_EXT_MAX 10

struct mailcap_entry {
	char *command;     /* for /bin/sh -c, every substitution safe */
	int file_on_stdin; /* no %s: give the file on standard input */
	int copiousoutput; /* prints text to show; needs no terminal */
};

/* Appends the value of the Content-Type parameter name to out and
 * returns 1, or returns 0 if the attachment has none. */
typedef int (*mailcap_param_fn)(const char *name, struct buf *out,
    void *arg);

/*
 * Expands one command template (the rules above) into out.  param may be
 * NULL (every parameter absent).  *had_file_r (if not NULL) is set to 1
 * if %s was used.  Returns 0, or -1 with a sentence in err (and nothing
 * to run).  Pure: no I/O.
 */
int ui_mailcap_expand(const char *tmpl, const char *type, const char *file,
    mailcap_param_fn param, void *arg, struct buf *out, int *had_file_r,
    struct error *err);

/*
 * Finds the entry for type and expands it for file.  Returns 1 with e
 * filled (free it with ui_mailcap_entry_free), 0 if no entry matches, -1
 * with a sentence in err if the matching entry cannot be used safely.
 */
int ui_mailcap_find(const char *type, const char *file,
    mailcap_param_fn param, void *arg, struct mailcap_entry *e,
    struct error *err);
void ui_mailcap_entry_free(struct mailcap_entry *e);

/*
 * The extension to keep on the temporary file made from an attachment
 * named name: "." and 1 to MAILCAP_EXT_MAX letters or digits after the
 * last dot, or "" (no dot, an empty or longer extension, or any other
 * character in it).  out has room for MAILCAP_EXT_MAX + 2 bytes.
 */
void ui_mailcap_extension(const char *name, char *out);

#endif
