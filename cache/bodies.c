/* bodies: the IMAP body cache (see bodies.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
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

int
bodies_store(struct bodies *b, const char *account, const char *folder,
    uint32_t uidvalidity, uint32_t uid, const void *data, size_t len,
    struct error *err)
{
	struct buf p = BUF_INIT;
	int rc;

	body_path(b, &p, account, folder, uidvalidity, uid, 0);
	if ((rc = paths_mkdir(p.data, err)) == 0) {
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
	char chunk[65536];
	ssize_t n;
	int fd, rc = 1;

	body_path(b, &p, account, folder, uidvalidity, uid, 1);
	if ((fd = open(p.data, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		rc = errno == ENOENT ? 0 : error_errno(err, errno,
		    "cannot open %s", p.data);
		buf_free(&p);
		return rc;
	}
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
	struct buf p = BUF_INIT;
	int rc = 0;

	body_path(b, &p, account, folder, uidvalidity, uid, 1);
	if (unlink(p.data) < 0 && errno != ENOENT)
		rc = error_errno(err, errno, "cannot remove %s", p.data);
	buf_free(&p);
	return rc;
}

/* Removes dir/ and the regular files in it (one level: our layout). */
static int
remove_tree(const char *dir, struct error *err)
{
	struct buf p = BUF_INIT;
	struct dirent *de;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : error_errno(err, errno,
		    "cannot read %s", dir);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		buf_reset(&p);
		buf_printf(&p, "%s/%s", dir, de->d_name);
		unlink(p.data);
	}
	closedir(d);
	buf_free(&p);
	if (rmdir(dir) < 0 && errno != ENOENT)
		return error_errno(err, errno, "cannot remove %s", dir);
	return 0;
}

int
bodies_drop_folder(struct bodies *b, const char *account, const char *folder,
    uint32_t keep, struct error *err)
{
	struct buf p = BUF_INIT, sub = BUF_INIT;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	folder_path(b, &p, account, folder);
	if ((d = opendir(p.data)) == NULL) {
		rc = errno == ENOENT ? 0 : error_errno(err, errno,
		    "cannot read %s", p.data);
		buf_free(&p);
		return rc;
	}
	while ((de = readdir(d)) != NULL) {
		unsigned long v;
		char *end;

		if (de->d_name[0] == '.')
			continue;
		v = strtoul(de->d_name, &end, 10);
		if (*end != '\0' || (keep != 0 && v == keep))
			continue;
		buf_reset(&sub);
		buf_printf(&sub, "%s/%s", p.data, de->d_name);
		if (remove_tree(sub.data, err) < 0)
			rc = -1;
	}
	closedir(d);
	buf_free(&p);
	buf_free(&sub);
	return rc;
}
