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

/*
 * Checks a folder found at dir.  used: the folder postie will use (dir
 * itself when they are the same): that one must be this user's and
 * writable by no one else; one above it may also be root's, and writable
 * by others if sticky (they cannot rename or remove what is ours).
 */
static int
check_dir(const char *dir, const struct stat *st, const char *used,
    struct error *err)
{
	uid_t me = geteuid();
	int own = strcmp(dir, used) == 0;

	if (!S_ISDIR(st->st_mode))
		return error_set(err, "cannot use %s as a folder: %s is not "
		    "a folder; remove it or choose another place", used, dir);
	if (own && st->st_uid != me)
		return error_set(err, "refusing to use %s: it belongs "
		    "to another user (uid %lu); remove it, or make it yours "
		    "with chown", dir, (unsigned long)st->st_uid);
	if (own && (st->st_mode & (S_IWGRP | S_IWOTH)))
		return error_set(err, "refusing to use %s: others can "
		    "write to it; run chmod go-w %s", dir, dir);
	if (st->st_uid != me && st->st_uid != 0)
		return error_set(err, "refusing to use %s: the folder "
		    "%s above it belongs to another user (uid %lu), who could "
		    "replace it; keep postie's files in folders of your own",
		    used, dir, (unsigned long)st->st_uid);
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !(st->st_mode & S_ISVTX))
		return error_set(err, "refusing to use %s: others can "
		    "write to the folder %s above it; run chmod go-w %s",
		    used, dir, dir);
	return 0;
}

/* Ends of the components of b->data after from: the next '/' (not one
 * of a run "a//b") or the end.  0 when there is none. */
static size_t
next_end(const struct buf *b, size_t from)
{
	size_t i = from;

	while (i < b->len && b->data[i] == '/')
		i++;
	if (i >= b->len)
		return 0;
	while (i < b->len && b->data[i] != '/')
		i++;
	return i;
}

/* b without trailing slashes (but "/" stays "/"). */
static void
strip_slashes(struct buf *b)
{
	while (b->len > 1 && b->data[b->len - 1] == '/')
		buf_truncate(b, b->len - 1);
}

/* mkdir of b->data cut at end (0700), then the checks of a folder that is
 * postie's own; never through a symbolic link. */
static int
make_own(struct buf *b, size_t end, struct error *err)
{
	struct stat st;
	char save = b->data[end];
	int rc = 0;

	b->data[end] = '\0';
	if (lstat(b->data, &st) < 0 && (errno != ENOENT ||
	    (mkdir(b->data, 0700) < 0 && errno != EEXIST) ||
	    lstat(b->data, &st) < 0))
		rc = error_errno(err, errno, "cannot create folder %s",
		    b->data);
	else if (S_ISLNK(st.st_mode))
		rc = error_set(err, "refusing to use %s: it is a "
		    "symbolic link, and postie follows none inside its own "
		    "folders; remove it", b->data);
	else
		rc = check_dir(b->data, &st, b->data, err);
	b->data[end] = save;
	return rc;
}

int
paths_mkdir(const char *path, struct error *err)
{
	struct buf b = BUF_INIT, real = BUF_INIT;
	struct stat st;
	size_t end, exist = 0, e;
	char *r = NULL, *used = NULL, save;
	int rc = -1;

	if (*path == '\0')
		return error_set(err, "cannot create a folder with an empty "
		    "name");
	buf_addstr(&b, path);
	strip_slashes(&b);
	if (b.data[0] == '/')
		exist = 1;
	/* The longest part that exists (symbolic links followed). */
	for (end = next_end(&b, 0); end != 0; end = next_end(&b, end)) {
		save = b.data[end];
		b.data[end] = '\0';
		e = stat(b.data, &st) == 0 ? 0 : (size_t)errno;
		b.data[end] = save;
		if (e == ENOENT)
			break;
		exist = end;
		if (e != 0 || !S_ISDIR(st.st_mode))
			break; /* the real path check below names it */
	}
	/* It is checked as resolved: every folder from / down. */
	save = exist ? b.data[exist] : '\0';
	if (exist)
		b.data[exist] = '\0';
	r = realpath(exist ? b.data : ".", NULL);
	if (exist)
		b.data[exist] = save;
	if (r == NULL) {
		error_errno(err, errno, "cannot use folder %.*s", (int)(exist ?
		    exist : 1), exist ? b.data : ".");
		goto out;
	}
	buf_addstr(&real, r);
	/* The folder postie uses, for the checks and the sentences. */
	used = xstrdup(exist == b.len ? r : b.data);
	for (end = 1;; end = next_end(&real, end)) {
		int last = end == 0 || end >= real.len;

		if (last)
			end = real.len;
		save = real.data[end];
		real.data[end] = '\0';
		if (lstat(real.data, &st) < 0) {
			error_errno(err, errno, "cannot use folder %s",
			    real.data);
			goto out;
		}
		rc = check_dir(real.data, &st, used, err);
		real.data[end] = save;
		if (rc < 0)
			goto out;
		rc = -1;
		if (last)
			break;
	}
	/* The rest is made here, and is postie's own. */
	for (end = next_end(&b, exist); end != 0; end = next_end(&b, end))
		if (make_own(&b, end, err) < 0)
			goto out;
	rc = 0;
out:
	free(r);
	free(used);
	buf_free(&real);
	buf_free(&b);
	return rc;
}

int
paths_mkdir_below(const char *root, const char *path, struct error *err)
{
	struct buf b = BUF_INIT;
	size_t rl = strlen(root), end;
	int rc = 0;

	while (rl > 1 && root[rl - 1] == '/')
		rl--;
	if (strncmp(path, root, rl) != 0 || (path[rl] != '\0' &&
	    path[rl] != '/'))
		return error_set(err, "cannot create folder %s: it is not "
		    "inside %s", path, root);
	buf_addstr(&b, path);
	strip_slashes(&b);
	for (end = next_end(&b, rl); end != 0 && rc == 0;
	    end = next_end(&b, end))
		rc = make_own(&b, end, err);
	buf_free(&b);
	return rc;
}

int
paths_open(const char *path, int flags, unsigned mode, struct error *err)
{
	struct stat st;
	int fd, e, writes = (flags & O_ACCMODE) != O_RDONLY;

	/* O_NONBLOCK: a FIFO planted there must not hang the open.  O_TRUNC
	 * only once the file is known to be ours alone. */
	fd = open(path, (flags & ~O_TRUNC) | O_NOFOLLOW | O_CLOEXEC |
	    O_NOCTTY | O_NONBLOCK, (mode_t)mode);
	if (fd < 0) {
		e = errno;
		if (e == ELOOP && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			error_set(err, "refusing to open %s: it is a "
			    "symbolic link, and postie follows none in its own "
			    "folders; remove it", path);
		else
			error_errno(err, e, "cannot open %s", path);
		errno = e;
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		e = errno;
		error_errno(err, e, "cannot open %s", path);
	} else if (!S_ISREG(st.st_mode)) {
		e = EINVAL;
		error_set(err, "refusing to open %s: it is not a regular "
		    "file; remove it", path);
	} else if (writes && st.st_uid != geteuid()) {
		e = EPERM;
		error_set(err, "refusing to write to %s: it belongs to "
		    "another user (uid %lu); remove it", path,
		    (unsigned long)st.st_uid);
	} else if (writes && st.st_nlink != 1) {
		e = EPERM;
		error_set(err, "refusing to write to %s: it has other "
		    "names (hard links), so writing it would change another "
		    "file too; remove it", path);
	} else if ((!(flags & O_NONBLOCK) &&
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) ||
	    ((flags & O_TRUNC) && writes && ftruncate(fd, 0) < 0)) {
		e = errno;
		error_errno(err, e, "cannot open %s", path);
	} else {
		return fd;
	}
	close(fd);
	errno = e;
	return -1;
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
		fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
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
