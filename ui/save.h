/*
 * save: writes an attachment where the user asked (the file I/O that the
 * pure mime/ layer leaves to the UI).
 *
 * ui_save_file() saves len bytes to dir/name (name should come from
 * mime_safe_filename(); a name with '/' or starting with '.' is refused),
 * mode 0600, without following a symlink.  An existing file is never
 * overwritten: then 1 is returned and nothing written, so the UI can ask
 * and call again with overwrite = 1 (which replaces the file through a
 * temporary file, fsync and rename).  Returns 0 when saved, 1 if the file
 * exists, -1 with a sentence in err.
 */
#ifndef POSTIE_UI_SAVE_H
#define POSTIE_UI_SAVE_H

#include <stddef.h>

#include "core/error.h"

int ui_save_file(const char *dir, const char *name, const void *data,
    size_t len, int overwrite, struct error *err);

/*
 * Where a file the user typed goes: "~/" is $HOME; a folder (or "") keeps
 * own, the attachment's name; the last component always goes through
 * mime_safe_filename() (index numbers a name that cleans to nothing).
 * Sets *dir_r and *name_r (malloc'ed).
 */
void ui_save_target(const char *typed, const char *own, size_t index,
    char **dir_r, char **name_r);

/*
 * Saves messages to the file path: with raw 0, data is mbox entries
 * (mime_mbox_entry) appended to an mbox, made when missing, under an
 * fcntl write lock; an existing file that is not an mbox (its first bytes
 * are not "From ") is refused, and an entry always follows an empty
 * line.  With raw 1, data is one message written to a new file, never
 * over an existing one.  Not through a symlink; mode 0600; fsync'ed.
 * 0, or -1 with a sentence (nothing written).
 */
int ui_save_mbox(const char *path, const void *data, size_t len, int raw,
    struct error *err);

/*
 * Writes len bytes for a viewer to a file named by postie alone: a new
 * private folder (mode 0700, made by mkdtemp in $TMPDIR when that is an
 * absolute path of letters, digits and "/._-", else in /tmp) holding
 * "postie-XXXXXX" + ext (ext: "" or a safe extension from
 * ui_mailcap_extension), mode 0600.  No byte of the attachment's own name
 * is used but a safe extension.  Sets *dir_r and *path_r (the caller
 * hands both to ui_save_temp_remove).  Returns 0, or -1 with a sentence.
 */
int ui_save_temp(const char *ext, const void *data, size_t len,
    char **dir_r, char **path_r, struct error *err);
/* Removes the file and its folder, and frees both names. */
void ui_save_temp_remove(char *dir, char *path);

#endif
