/*
 * buf: the one growable byte buffer of postie.
 *
 * Invariants (hold after every call of this module):
 *   - data == NULL if and only if cap == 0 (a fresh or freed buffer);
 *   - otherwise len < cap and data[len] == '\0', so data is always a valid
 *     C string when non-NULL, even if the bytes before it contain NULs;
 *   - len counts the bytes stored, never the terminating NUL.
 * A zeroed struct (BUF_INIT) is a valid empty buffer.  Growth aborts on
 * out-of-memory (see xalloc.h); no function here fails otherwise.
 */
#ifndef POSTIE_CORE_BUF_H
#define POSTIE_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
	int secret; /* set by buf_secret() */
};

#define BUF_INIT { NULL, 0, 0, 0 }

void buf_init(struct buf *b);
/*
 * Makes b a secret buffer (a password, a LOGIN or AUTH line) until
 * buf_init: no byte it held is left behind in memory it gives up.  A grow
 * copies into new storage and wipes the old before freeing it (never
 * realloc, which may free the old copy as it was); buf_free wipes all of
 * the storage; buf_reset, buf_truncate and buf_consume wipe the bytes
 * they drop.  The flag survives buf_free, buf_reset and buf_detach (whose
 * memory the caller wipes).
 */
void buf_secret(struct buf *b);
/* Wipes all of the storage (explicit_bzero) and empties the buffer,
 * keeping its memory: for a buffer that held a secret. */
void buf_wipe(struct buf *b);
/* Releases the memory; the buffer is empty and reusable afterwards. */
void buf_free(struct buf *b);
/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);
/* Makes room for at least extra more bytes (plus the NUL). */
void buf_grow(struct buf *b, size_t extra);
void buf_addstr(struct buf *b, const char *s);
/* The out-of-line halves of buf_add and buf_addch: they grow first. */
void buf_add_grow(struct buf *b, const void *p, size_t n);
void buf_addch_grow(struct buf *b, int c);

/* Inline while the bytes fit: the MIME decoders and the IMAP parser add
 * a few bytes at a time, many millions of times in a large sync. */
static inline void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n >= b->cap - b->len) { /* also when cap == 0 */
		buf_add_grow(b, p, n);
		return;
	}
	if (n) {
		__builtin_memcpy(b->data + b->len, p, n);
		b->len += n;
	}
	b->data[b->len] = '\0';
}

static inline void
buf_addch(struct buf *b, int c)
{
	if (b->len + 2 > b->cap) {
		buf_addch_grow(b, c);
		return;
	}
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}

void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Shortens to len bytes (len <= b->len). */
void buf_truncate(struct buf *b, size_t len);
/* Removes the first n bytes (n <= b->len), moving the rest down. */
void buf_consume(struct buf *b, size_t n);
/* The contents as a C string: "" for an empty, never-grown buffer. */
const char *buf_cstr(const struct buf *b);
/*
 * Hands the memory to the caller (free() it) and leaves the buffer empty.
 * Never returns NULL: an empty buffer yields a fresh "".  len_r may be NULL.
 */
char *buf_detach(struct buf *b, size_t *len_r);

#endif
