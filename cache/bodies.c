/* bodies: the IMAP body cache (see bodies.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache/bodies.h"
#include "core/paths.h"
#include "core/xalloc.h"

struct bodies {
	char *root;
	atomic_int root_ok; /* the root passed paths_mkdir */
};

struct bodies *
bodies_new(const char *root)
{
	struct bodies *b = xcalloc(1, sizeof(*b));

	b->root = xstrdup(root);
	return b;
}

void
bodies_free(struct bodies **b)
{
	if (*b == NULL)
		return;
	free((*b)->root);
	free(*b);
	*b = NULL;
}

/* ROOT/<enc account>/<enc folder>[/<uidvalidity>[/<uid>]] */
static void
folder_path(struct bodies *b, struct buf *p, const char *account,
    const char *folder)
{
	buf_addstr(p, b->root);
	buf_addch(p, '/');
	paths_encode_component(p, account);
	buf_addch(p, '/');
	paths_encode_component(p, folder);
}

static void
body_path(struct bodies *b, struct buf *p, const char *account,
    const char *folder, uint32_t uidvalidity, uint32_t uid, int file)
{
	folder_path(b, p, account, folder);
	buf_printf(p, "/%u", uidvalidity);
	if (file)
		buf_printf(p, "/%u", uid);
}

/*
 * Opens ROOT/<enc account>/<enc folder>[/<uidvalidity>] as a folder, one
 * component at a time and never through a symbolic link (the root itself
 * may be one: the user's choice).  1 opened (*fd_r), 0 absent, -1 error.
 */
static int
open_dir(struct bodies *b, const char *account, const char *folder,
    uint32_t uidvalidity, int *fd_r, struct error *err)
{
	struct buf name = BUF_INIT;
	const char *what[3];
	char num[16];
	int fd, next, i, n = uidvalidity ? 3 : 2, rc = 1;

	if ((fd = open(b->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : error_errno(err, errno,
		    "cannot open %s", b->root);
	what[0] = account;
	what[1] = folder;
	snprintf(num, sizeof(num), "%u", uidvalidity);
	what[2] = num;
	for (i = 0; i < n && rc == 1; i++) {
		buf_reset(&name);
		if (i < 2)
			paths_encode_component(&name, what[i]);
		else
			buf_addstr(&name, num);
		next = openat(fd, name.data, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT)
			rc = 0;
		else if (next < 0 && (errno == ELOOP || errno == ENOTDIR))
			rc = error_set(err, "refusing to use the body "
			    "cache folder %s under %s: it is a symbolic link "
			    "or not a folder; remove it", name.data, b->root);
		else if (next < 0)
			rc = error_errno(err, errno, "cannot open %s in %s",
			    name.data, b->root);
		close(fd);
		fd = next;
	}
	buf_free(&name);
	if (rc == 1)
		*fd_r = fd;
	return rc;
}

int
bodies_store(struct bodies *b, const char *account, const char *folder,
    uint32_t uidvalidity, uint32_t uid, const void *data, size_t len,
    struct error *err)
{
	struct buf p = BUF_INIT;
	int rc;

	/* The root once (it may be a link: the user's choice); below it,
	 * no link is followed. */
	if (!atomic_load(&b->root_ok)) {
		if (paths_mkdir(b->root, err) < 0)
			return -1;
		atomic_store(&b->root_ok, 1);
	}
	body_path(b, &p, account, folder, uidvalidity, uid, 0);
	if ((rc = paths_mkdir_below(b->root, p.data, err)) == 0) {
		buf_reset(&p);
		body_path(b, &p, account, folder, uidvalidity, uid, 1);
		rc = paths_write_atomic(p.data, data, len, err);
	}
	buf_free(&p);
	return rc;
}

int
bodies_load(struct bodies *b, const char *account, const char *folder,
    uint32_t uidvalidity, uint32_t uid, struct buf *out, struct error *err)
{
	struct buf p = BUF_INIT;
	char chunk[65536], name[16];
	ssize_t n;
	int dfd, fd, rc;

	if ((rc = open_dir(b, account, folder, uidvalidity, &dfd, err)) <= 0)
		return rc;
	snprintf(name, sizeof(name), "%u", uid);
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	close(dfd);
	if (fd < 0 && errno == ENOENT)
		return 0;
	/* Named by its path on disk: no server string in a sentence. */
	body_path(b, &p, account, folder, uidvalidity, uid, 1);
	if (fd < 0) {
		rc = errno == ELOOP ? error_set(err, "refusing to read "
		    "%s: it is a symbolic link; remove it", p.data) :
		    error_errno(err, errno, "cannot open %s", p.data);
		buf_free(&p);
		return rc;
	}
	rc = 1;
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = error_errno(err, errno, "cannot read %s", p.data);
			break;
		}
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	buf_free(&p);
	return rc;
}

int
bodies_remove(struct bodies *b, const char *account, const char *folder,
    uint32_t uidvalidity, uint32_t uid, struct error *err)
{
	char name[16];
	int dfd, rc;

	if ((rc = open_dir(b, account, folder, uidvalidity, &dfd, err)) <= 0)
		return rc;
	snprintf(name, sizeof(name), "%u", uid);
	rc = 0;
	if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT) {
		struct buf p = BUF_INIT;

		body_path(b, &p, account, folder, uidvalidity, uid, 1);
		rc = error_errno(err, errno, "cannot remove %s", p.data);
		buf_free(&p);
	}
	close(dfd);
	return rc;
}

/* Removes the folder name in dfd and what is in it (one level: our
 * layout); a link is removed itself, never what it points to. */
static int
remove_tree(int dfd, const char *name, struct error *err)
{
	struct dirent *de;
	DIR *d;
	int fd;

	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0) {
		if (errno == ELOOP || errno == ENOTDIR)
			return unlinkat(dfd, name, 0) < 0 && errno != ENOENT ?
			    error_errno(err, errno, "cannot remove %s", name) :
			    0;
		return errno == ENOENT ? 0 : error_errno(err, errno,
		    "cannot read %s", name);
	}
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return error_errno(err, errno, "cannot read %s", name);
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		unlinkat(fd, de->d_name, 0);
	}
	closedir(d);
	if (unlinkat(dfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return error_errno(err, errno, "cannot remove %s", name);
	return 0;
}

int
bodies_drop_folder(struct bodies *b, const char *account, const char *folder,
    uint32_t keep, struct error *err)
{
	struct dirent *de;
	DIR *d;
	int dfd, rc;

	if ((rc = open_dir(b, account, folder, 0, &dfd, err)) <= 0)
		return rc;
	if ((d = fdopendir(dfd)) == NULL) {
		rc = error_errno(err, errno, "cannot read the body cache in "
		    "%s", b->root);
		close(dfd);
		return rc;
	}
	rc = 0;
	while ((de = readdir(d)) != NULL) {
		unsigned long v;
		char *end;

		if (de->d_name[0] == '.')
			continue;
		v = strtoul(de->d_name, &end, 10);
		if (*end != '\0' || (keep != 0 && v == keep))
			continue;
		if (remove_tree(dirfd(d), de->d_name, err) < 0)
			rc = -1;
	}
	closedir(d);
	return rc;
}
