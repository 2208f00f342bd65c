/* paths: XDG folders, safe names, atomic writes (contract in paths.h). */
#include <config.h> /* the build's, for _GNU_SOURCE */

#include "core/paths.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/xalloc.h"

/* $VAR/postie if VAR is absolute, else $HOME/fallback/postie. */
static char *
xdg_dir(const char *var, const char *fallback, struct error *err)
{
	const char *v = getenv(var), *home = getenv("HOME");
	struct buf b = BUF_INIT;

	if (v && v[0] == '/') {
		buf_printf(&b, "%s/postie", v);
	} else if (home && home[0] == '/') {
		buf_printf(&b, "%s/%s/postie", home, fallback);
	} else {
		error_set(err, "cannot tell where postie's files go: neither "
		    "$%s nor $HOME is set to an absolute path", var);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

char *
paths_config_dir(struct error *err)
{
	return xdg_dir("XDG_CONFIG_HOME", ".config", err);
}

char *
paths_data_dir(struct error *err)
{
	return xdg_dir("XDG_DATA_HOME", ".local/share", err);
}

char *
paths_cache_dir(struct error *err)
{
	return xdg_dir("XDG_CACHE_HOME", ".cache", err);
}

char *
paths_state_dir(struct error *err)
{
	return xdg_dir("XDG_STATE_HOME", ".local/state", err);
}

char *
paths_config_file(struct error *err)
{
	struct buf b = BUF_INIT;
	char *dir;

	if ((dir = paths_config_dir(err)) == NULL)
		return NULL;
	buf_printf(&b, "%s/config", dir);
	free(dir);
	return buf_detach(&b, NULL);
}

int
paths_mkdir(const char *path, struct error *err)
{
	struct buf b = BUF_INIT;
	struct stat st;
	size_t i;
	int rc = 0;

	if (*path == '\0')
		return error_set(err, "cannot create a folder with an empty "
		    "name");
	buf_addstr(&b, path);
	/* Each prefix ending before a '/', then the whole path. */
	for (i = 1; i <= b.len; i++) {
		if (i < b.len && b.data[i] != '/')
			continue;
		if (i < b.len && b.data[i - 1] == '/')
			continue; /* "a//b" */
		b.data[i] = '\0';
		if (mkdir(b.data, 0700) < 0) {
			int e = errno;

			if (e != EEXIST || stat(b.data, &st) < 0 ||
			    !S_ISDIR(st.st_mode)) {
				rc = error_errno(err, e == EEXIST ? ENOTDIR : e,
				    "cannot create folder %s", b.data);
				break;
			}
		}
		if (i < b.len)
			b.data[i] = '/';
	}
	buf_free(&b);
	return rc;
}

static int
keep_byte(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* FNV-1a: only to keep long names distinct after shortening. */
static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

void
paths_encode_component(struct buf *out, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t start = out->len, i;

	if (*name == '\0') {
		buf_addstr(out, "%00"); /* no C string encodes to this */
		return;
	}
	for (i = 0; name[i]; i++) {
		unsigned char c = (unsigned char)name[i];

		if (keep_byte(c) && !(i == 0 && c == '.')) {
			buf_addch(out, c);
		} else {
			buf_addch(out, '%');
			buf_addch(out, hex[c >> 4]);
			buf_addch(out, hex[c & 15]);
		}
	}
	if (out->len - start > PATHS_COMPONENT_MAX) {
		size_t cut = PATHS_COMPONENT_MAX - 17;

		/* Do not split a %XX escape. */
		if (out->data[start + cut - 1] == '%')
			cut -= 1;
		else if (out->data[start + cut - 2] == '%')
			cut -= 2;
		buf_truncate(out, start + cut);
		buf_printf(out, "~%016llx", (unsigned long long)fnv1a(name));
	}
}

int
paths_write_atomic(const char *path, const void *data, size_t len,
    struct error *err)
{
	static atomic_uint counter;
	struct buf tmp = BUF_INIT, dir = BUF_INIT;
	const char *slash = strrchr(path, '/'), *base;
	const char *p = data;
	int fd = -1, dfd, tries, e;

	if (slash) {
		buf_add(&dir, path, (size_t)(slash - path));
		if (dir.len == 0)
			buf_addch(&dir, '/');
		base = slash + 1;
	} else {
		buf_addch(&dir, '.');
		base = path;
	}
	if (*base == '\0') {
		buf_free(&dir);
		return error_set(err, "cannot write %s: not a file name", path);
	}
	for (tries = 0; tries < 100 && fd < 0; tries++) {
		buf_reset(&tmp);
		buf_printf(&tmp, "%s/.%s.tmp-%ld-%u", buf_cstr(&dir), base,
		    (long)getpid(), atomic_fetch_add(&counter, 1));
		fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		e = errno;
		error_errno(err, e, "cannot create a temporary file for %s",
		    path);
		goto fail_nofile;
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error_errno(err, errno, "cannot write %s", tmp.data);
			goto fail;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0) {
		error_errno(err, errno, "cannot flush %s to disk", tmp.data);
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		error_errno(err, errno, "cannot write %s", tmp.data);
		goto fail;
	}
	fd = -1;
	if (rename(tmp.data, path) < 0) {
		error_errno(err, errno, "cannot rename %s to %s", tmp.data,
		    path);
		goto fail;
	}
	/* The rename is durable only once the folder is flushed. */
	if ((dfd = open(dir.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		if (fsync(dfd) < 0 && errno != EINVAL) {
			e = errno;
			close(dfd);
			buf_free(&tmp);
			buf_free(&dir);
			return error_errno(err, e, "cannot flush folder of %s",
			    path);
		}
		close(dfd);
	}
	buf_free(&tmp);
	buf_free(&dir);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp.data);
fail_nofile:
	buf_free(&tmp);
	buf_free(&dir);
	return -1;
}
