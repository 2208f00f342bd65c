/*
 * xalloc: allocation wrappers.
 *
 * Contract: every function here either returns usable memory or prints one
 * line to stderr and aborts the process.  None returns NULL (xmalloc(0)
 * returns a unique pointer).  Memory is released with free().
 */
#ifndef POSTIE_CORE_XALLOC_H
#define POSTIE_CORE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* realloc of nmemb * size with overflow check. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
/* Copies at most n bytes of s and always NUL-terminates. */
char *xstrndup(const char *s, size_t n);
/* Copies n bytes and appends a NUL (so the copy is n + 1 bytes long). */
void *xmemdup(const void *p, size_t n);

#endif
