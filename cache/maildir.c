/* maildir: a standard Maildir, written crash-safely (see maildir.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "cache/db.h"
#include "cache/maildir.h"
#include "core/buf.h"
#include "core/paths.h"
#include "core/xalloc.h"

#define TMP_MAX_AGE (36 * 3600)

struct maildir {
	char *path;
	char host[128]; /* escaped host name for unique names */
	int fd;         /* the folder: syncfs() reports errors since open */
};

struct maildir_delivery {
	struct maildir *md;
	int fd;
	char key[256];
	char tmp[4096];
};

static unsigned long deliveries; /* the Q counter; per process */

int
maildir_key_valid(const char *key)
{
	const unsigned char *p = (const unsigned char *)key;

	if (*p == '\0' || *p == '.' || strlen(key) > 240)
		return 0;
	for (; *p; p++)
		if (*p == '/' || *p == ':' || *p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

unsigned
maildir_info_flags(const char *name)
{
	const char *info = strstr(name, ":2,");
	unsigned flags = 0;

	if (info == NULL)
		return 0;
	for (info += 3; *info; info++) {
		switch (*info) {
		case 'D': flags |= MSG_DRAFT; break;
		case 'F': flags |= MSG_FLAGGED; break;
		case 'R': flags |= MSG_ANSWERED; break;
		case 'S': flags |= MSG_SEEN; break;
		case 'T': flags |= MSG_DELETED; break;
		default: break;
		}
	}
	return flags;
}

/* "KEY:2,DFRST" in ASCII order. */
static void
info_name(struct buf *b, const char *key, unsigned flags)
{
	buf_addstr(b, key);
	buf_addstr(b, ":2,");
	if (flags & MSG_DRAFT)
		buf_addch(b, 'D');
	if (flags & MSG_FLAGGED)
		buf_addch(b, 'F');
	if (flags & MSG_ANSWERED)
		buf_addch(b, 'R');
	if (flags & MSG_SEEN)
		buf_addch(b, 'S');
	if (flags & MSG_DELETED)
		buf_addch(b, 'T');
}

static int
fsync_dir(const char *path, struct error *err)
{
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return error_errno(err, errno, "cannot open %s", path);
	rc = fsync(fd);
	close(fd);
	if (rc < 0)
		return error_errno(err, errno, "cannot sync %s", path);
	return 0;
}

/* Moves src to dst, never replacing a file already at dst. */
static int
move_noreplace(const char *src, const char *dst)
{
#ifdef RENAME_NOREPLACE
	/* One call where the system has it; link + unlink are two. */
	if (renameat2(AT_FDCWD, src, AT_FDCWD, dst, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
#endif
	if (link(src, dst) == 0) {
		unlink(src);
		return 0;
	}
	if (errno != EPERM && errno != ENOSYS && errno != EOPNOTSUPP)
		return -1;
	return rename(src, dst);
}

static void
sweep_tmp(struct maildir *md)
{
	struct buf p = BUF_INIT;
	struct dirent *de;
	struct stat sb;
	time_t now = time(NULL);
	DIR *d;

	buf_printf(&p, "%s/tmp", md->path);
	if ((d = opendir(p.data)) == NULL) {
		buf_free(&p);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		buf_reset(&p);
		buf_printf(&p, "%s/tmp/%s", md->path, de->d_name);
		if (lstat(p.data, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    now - sb.st_mtime > TMP_MAX_AGE)
			unlink(p.data);
	}
	closedir(d);
	buf_free(&p);
}

int
maildir_open(const char *path, int create, struct maildir **md_r,
    struct error *err)
{
	static const char *const sub[] = { "", "/cur", "/new", "/tmp" };
	struct maildir *md;
	struct buf p = BUF_INIT;
	struct stat sb;
	char *s;
	size_t i, j;

	if (stat(path, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		if (create && mkdir(path, 0700) < 0 && errno != EEXIST)
			return error_errno(err, errno, "cannot create %s", path);
		if (stat(path, &sb) < 0 || !S_ISDIR(sb.st_mode))
			return error_set(err, "%s is not a Maildir (no folder "
			    "%s)", path, path);
	}
	/* cur/, new/ and tmp/ are real folders of this user's that no one
	 * else can write to: a link there would have deliveries, and the
	 * sweep of old files in tmp/, work in another folder. */
	for (i = 1; i < 4; i++) {
		buf_reset(&p);
		buf_printf(&p, "%s%s", path, sub[i]);
		if (!create && lstat(p.data, &sb) < 0 && errno == ENOENT) {
			error_set(err, "%s is not a Maildir (no folder %s)",
			    path, p.data);
			buf_free(&p);
			return -1;
		}
		if (paths_mkdir_below(path, p.data, err) < 0) {
			buf_free(&p);
			return -1;
		}
	}
	buf_free(&p);
	md = xcalloc(1, sizeof(*md));
	md->path = xstrdup(path);
	if ((md->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		error_errno(err, errno, "cannot open %s", path);
		free(md->path);
		free(md);
		return -1;
	}
	if (gethostname(md->host, sizeof(md->host) - 1) < 0 ||
	    md->host[0] == '\0')
		snprintf(md->host, sizeof(md->host), "localhost");
	md->host[sizeof(md->host) - 1] = '\0';
	/* '/' and ':' may not appear in a name: escape as \057, \072. */
	s = xstrdup(md->host);
	for (i = j = 0; s[i] && j + 5 < sizeof(md->host); i++) {
		if (s[i] == '/' || s[i] == ':') {
			snprintf(md->host + j, 5, "\\%03o", (unsigned char)s[i]);
			j += 4;
		} else
			md->host[j++] = s[i];
	}
	md->host[j] = '\0';
	free(s);
	sweep_tmp(md);
	*md_r = md;
	return 0;
}

void
maildir_close(struct maildir **mdp)
{
	if (*mdp == NULL)
		return;
	close((*mdp)->fd);
	free((*mdp)->path);
	free(*mdp);
	*mdp = NULL;
}

const char *
maildir_path(const struct maildir *md)
{
	return md->path;
}

int
maildir_deliver_begin(struct maildir *md, struct maildir_delivery **d_r,
    struct error *err)
{
	struct maildir_delivery *d = xcalloc(1, sizeof(*d));
	struct timeval tv;
	int tries;

	d->md = md;
	for (tries = 0; tries < 10; tries++) {
		gettimeofday(&tv, NULL);
		snprintf(d->key, sizeof(d->key), "%lld.M%ldP%ldQ%lu.%s",
		    (long long)tv.tv_sec, (long)tv.tv_usec, (long)getpid(),
		    __atomic_add_fetch(&deliveries, 1, __ATOMIC_RELAXED),
		    md->host);
		snprintf(d->tmp, sizeof(d->tmp), "%s/tmp/%s", md->path,
		    d->key);
		d->fd = open(d->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
		    O_NOFOLLOW, 0600);
		if (d->fd >= 0) {
			*d_r = d;
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	error_errno(err, errno, "cannot create %s", d->tmp);
	free(d);
	return -1;
}

const char *
maildir_delivery_key(const struct maildir_delivery *d)
{
	return d->key;
}

int
maildir_deliver_write(struct maildir_delivery *d, const void *p, size_t n,
    struct error *err)
{
	const char *s = p;
	ssize_t w;

	while (n > 0) {
		if ((w = write(d->fd, s, n)) < 0) {
			if (errno == EINTR)
				continue;
			return error_errno(err, errno, "cannot write %s",
			    d->tmp);
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Makes every file's data durable with one flush where the system allows
 * it: syncfs() on Linux writes back the whole file system at once (and,
 * since Linux 5.8, reports write-back errors since the Maildir was
 * opened, which is before any of these files was created), where an
 * fsync() per file costs one flush each, which made a large POP3
 * download far slower than the network.  Elsewhere: fsync each file.
 */
static int
sync_files(struct maildir_delivery **d, size_t n, struct error *err)
{
	size_t i;

#ifdef __linux__
	for (i = 0; i < n; i++) {
		if (d[i] == NULL)
			continue;
		/* Not finished yet: its own fsync is as cheap. */
		if (n == 1 && d[i]->fd >= 0)
			return fsync(d[i]->fd) < 0 ? error_errno(err, errno,
			    "cannot sync %s", d[i]->tmp) : 0;
		return syncfs(d[i]->md->fd) < 0 ? error_errno(err, errno,
		    "cannot sync %s", d[i]->md->path) : 0;
	}
	return 0;
#else
	for (i = 0; i < n; i++)
		if (d[i] != NULL && fsync(d[i]->fd) < 0)
			return error_errno(err, errno, "cannot sync %s",
			    d[i]->tmp);
	return 0;
#endif
}

int
maildir_deliver_finish(struct maildir_delivery *d, struct error *err)
{
#ifdef __linux__
	int rc;

	/* syncfs() needs no descriptor per file: close it now, so that
	 * many finished deliveries hold no descriptors. */
	if (d->fd < 0)
		return 0;
	rc = close(d->fd);
	d->fd = -1;
	if (rc < 0)
		return error_errno(err, errno, "cannot write %s", d->tmp);
#else
	(void)d;
	(void)err;
#endif
	return 0;
}

int
maildir_deliver_commit(struct maildir_delivery **dp, unsigned flags,
    struct error *err)
{
	struct maildir_delivery *d = *dp;
	struct buf dst = BUF_INIT, dir = BUF_INIT;
	int rc = -1;

	if (sync_files(&d, 1, err) < 0)
		goto out;
	if (d->fd >= 0 && close(d->fd) < 0) {
		d->fd = -1;
		error_errno(err, errno, "cannot write %s", d->tmp);
		goto out;
	}
	d->fd = -1;
	buf_printf(&dir, "%s/%s", d->md->path, flags ? "cur" : "new");
	buf_printf(&dst, "%s/", dir.data);
	if (flags)
		info_name(&dst, d->key, flags);
	else
		buf_addstr(&dst, d->key);
	if (move_noreplace(d->tmp, dst.data) < 0) {
		error_errno(err, errno, "cannot deliver %s", dst.data);
		goto out;
	}
	rc = fsync_dir(dir.data, err);
out:
	if (rc < 0) {
		if (d->fd >= 0)
			close(d->fd);
		unlink(d->tmp);
	}
	buf_free(&dst);
	buf_free(&dir);
	free(d);
	*dp = NULL;
	return rc;
}

int
maildir_deliver_commit_many(struct maildir_delivery **d, size_t n,
    size_t *committed_r, struct error *err)
{
	struct buf dst = BUF_INIT, dir = BUF_INIT;
	size_t i, done = 0;
	int rc = -1;

	if (sync_files(d, n, err) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (d[i] == NULL || d[i]->fd < 0)
			continue;
		if (close(d[i]->fd) < 0) {
			d[i]->fd = -1;
			error_errno(err, errno, "cannot write %s", d[i]->tmp);
			goto out;
		}
		d[i]->fd = -1;
	}
	for (i = 0; i < n; i++) {
		if (d[i] == NULL)
			continue;
		if (dir.len == 0)
			buf_printf(&dir, "%s/new", d[i]->md->path);
		buf_reset(&dst);
		buf_printf(&dst, "%s/new/%s", d[i]->md->path, d[i]->key);
		if (move_noreplace(d[i]->tmp, dst.data) < 0) {
			error_errno(err, errno, "cannot deliver %s", dst.data);
			goto out;
		}
		done++;
		free(d[i]);
		d[i] = NULL;
	}
	rc = dir.len ? fsync_dir(dir.data, err) : 0;
out:
	for (i = 0; i < n; i++)
		maildir_deliver_abort(&d[i]);
	if (committed_r)
		*committed_r = done;
	buf_free(&dst);
	buf_free(&dir);
	return rc;
}

void
maildir_deliver_abort(struct maildir_delivery **dp)
{
	struct maildir_delivery *d = *dp;

	if (d == NULL)
		return;
	if (d->fd >= 0)
		close(d->fd);
	unlink(d->tmp);
	free(d);
	*dp = NULL;
}

static int
scan_dir(struct maildir *md, const char *sub,
    int (*fn)(void *, const struct maildir_entry *, struct error *),
    void *arg, struct error *err)
{
	struct buf p = BUF_INIT, key = BUF_INIT;
	struct maildir_entry e;
	struct dirent *de;
	struct stat sb;
	const char *colon;
	DIR *d;
	int rc = 0;

	buf_printf(&p, "%s/%s", md->path, sub);
	if ((d = opendir(p.data)) == NULL) {
		error_errno(err, errno, "cannot read %s", p.data);
		buf_free(&p);
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		buf_reset(&p);
		buf_printf(&p, "%s/%s/%s", md->path, sub, de->d_name);
		/* A message is a regular file; a link is not followed. */
		if (lstat(p.data, &sb) < 0 || !S_ISREG(sb.st_mode))
			continue;
		buf_reset(&key);
		colon = strchr(de->d_name, ':');
		buf_add(&key, de->d_name, colon ? (size_t)(colon -
		    de->d_name) : strlen(de->d_name));
		if (!maildir_key_valid(key.data))
			continue;
		memset(&e, 0, sizeof(e));
		e.key = key.data;
		e.in_new = sub[0] == 'n';
		e.flags = e.in_new ? 0 : maildir_info_flags(de->d_name);
		e.mtime = sb.st_mtime;
		e.size = sb.st_size;
		rc = fn(arg, &e, err);
	}
	closedir(d);
	buf_free(&p);
	buf_free(&key);
	return rc;
}

int
maildir_scan(struct maildir *md,
    int (*fn)(void *, const struct maildir_entry *, struct error *),
    void *arg, struct error *err)
{
	if (scan_dir(md, "new", fn, arg, err) < 0)
		return -1;
	return scan_dir(md, "cur", fn, arg, err);
}

int
maildir_find(struct maildir *md, const char *key, char **path_r,
    struct error *err)
{
	struct buf p = BUF_INIT;
	struct dirent *de;
	struct stat sb;
	size_t klen = strlen(key);
	unsigned f;
	DIR *d;

	if (!maildir_key_valid(key))
		return error_set(err, "invalid Maildir message name");
	buf_printf(&p, "%s/new/%s", md->path, key);
	if (lstat(p.data, &sb) == 0)
		goto found;
	/* The usual names first, then a scan for unusual info letters. */
	for (f = 0; f <= MSG_ALL_FLAGS; f++) {
		buf_reset(&p);
		buf_printf(&p, "%s/cur/", md->path);
		info_name(&p, key, f);
		if (lstat(p.data, &sb) == 0)
			goto found;
	}
	buf_reset(&p);
	buf_printf(&p, "%s/cur", md->path);
	if ((d = opendir(p.data)) == NULL) {
		buf_free(&p);
		return error_errno(err, errno, "cannot read %s/cur", md->path);
	}
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, key, klen) == 0 &&
		    (de->d_name[klen] == '\0' || de->d_name[klen] == ':')) {
			buf_reset(&p);
			buf_printf(&p, "%s/cur/%s", md->path, de->d_name);
			closedir(d);
			goto found;
		}
	}
	closedir(d);
	buf_free(&p);
	return 0;
found:
	*path_r = buf_detach(&p, NULL);
	return 1;
}

int
maildir_read(struct maildir *md, const char *key, struct buf *out,
    struct error *err)
{
	char *path, chunk[65536];
	ssize_t n;
	int fd, rc;

	if ((rc = maildir_find(md, key, &path, err)) <= 0)
		return rc;
	if ((fd = paths_open(path, O_RDONLY, 0, err)) < 0) {
		rc = errno == ENOENT ? 0 : -1;
		free(path);
		return rc;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			error_errno(err, errno, "cannot read %s", path);
			close(fd);
			free(path);
			return -1;
		}
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	free(path);
	return 1;
}

int
maildir_set_flags(struct maildir *md, const char *key, unsigned flags,
    struct error *err)
{
	struct buf dst = BUF_INIT;
	char *path;
	int rc;

	if ((rc = maildir_find(md, key, &path, err)) <= 0)
		return rc;
	buf_printf(&dst, "%s/cur/", md->path);
	info_name(&dst, key, flags & MSG_ALL_FLAGS);
	rc = 1;
	if (strcmp(path, dst.data) != 0 && rename(path, dst.data) < 0)
		rc = errno == ENOENT ? 0 : error_errno(err, errno,
		    "cannot rename %s", path);
	free(path);
	buf_free(&dst);
	return rc;
}

int
maildir_remove(struct maildir *md, const char *key, struct error *err)
{
	char *path;
	int rc;

	if ((rc = maildir_find(md, key, &path, err)) <= 0)
		return rc;
	rc = 1;
	if (unlink(path) < 0)
		rc = errno == ENOENT ? 0 : error_errno(err, errno,
		    "cannot remove %s", path);
	free(path);
	return rc;
}
