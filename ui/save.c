/* save: writing an attachment to a file the user named (ui/save.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "mime/mime.h"
#include "ui/save.h"

static int
write_all(int fd, const unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
ui_save_file(const char *dir, const char *name, const void *data, size_t len,
    int overwrite, struct error *err)
{
	struct buf path = BUF_INIT, tmp = BUF_INIT;
	int fd, rc = -1;

	if (name[0] == '\0' || name[0] == '.' || strchr(name, '/') != NULL)
		return error_set(err, "unsafe file name");
	buf_printf(&path, "%s/%s", dir, name);
	if (!overwrite) {
		fd = open(path.data,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno == EEXIST) {
			buf_free(&path);
			return 1;
		}
		tmp = path;
		memset(&path, 0, sizeof(path));
	} else {
		buf_printf(&tmp, "%s/.%s.tmp%ld", dir, name, (long)getpid());
		fd = open(tmp.data,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	}
	if (fd < 0) {
		error_errno(err, errno, "cannot create %s", buf_cstr(&tmp));
		goto out;
	}
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		error_errno(err, errno, "cannot write %s", tmp.data);
		close(fd);
		unlink(tmp.data);
		goto out;
	}
	if (close(fd) < 0) {
		error_errno(err, errno, "cannot write %s", tmp.data);
		unlink(tmp.data);
		goto out;
	}
	if (overwrite && rename(tmp.data, path.data) < 0) {
		error_errno(err, errno, "cannot rename to %s", path.data);
		unlink(tmp.data);
		goto out;
	}
	rc = 0;
out:
	buf_free(&path);
	buf_free(&tmp);
	return rc;
}

/* $TMPDIR if nothing in it would need quoting in a command line. */
static const char *
temp_root(void)
{
	const char *t = getenv("TMPDIR");
	size_t i, n;

	if (t == NULL || t[0] != '/' || (n = strlen(t)) > 200)
		return "/tmp";
	for (i = 0; i < n; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') ||
		    (t[i] >= 'A' && t[i] <= 'Z') ||
		    (t[i] >= '0' && t[i] <= '9') || strchr("/._-", t[i])))
			return "/tmp";
	return t;
}

int
ui_save_temp(const char *ext, const void *data, size_t len, char **dir_r,
    char **path_r, struct error *err)
{
	struct buf dir = BUF_INIT, path = BUF_INIT;
	int fd;

	*dir_r = *path_r = NULL;
	buf_printf(&dir, "%s/postie-XXXXXX", temp_root());
	if (mkdtemp(dir.data) == NULL) {
		error_errno(err, errno, "cannot create a folder in %s",
		    temp_root());
		buf_free(&dir);
		return -1;
	}
	buf_printf(&path, "%s/postie-XXXXXX%s", dir.data, ext);
	fd = mkostemps(path.data, (int)strlen(ext), O_CLOEXEC);
	if (fd < 0) {
		error_errno(err, errno, "cannot create a file in %s", dir.data);
		goto fail;
	}
	if (write_all(fd, data, len) < 0) {
		error_errno(err, errno, "cannot write %s", path.data);
		close(fd);
		unlink(path.data);
		goto fail;
	}
	if (close(fd) < 0) {
		error_errno(err, errno, "cannot write %s", path.data);
		unlink(path.data);
		goto fail;
	}
	*dir_r = buf_detach(&dir, NULL);
	*path_r = buf_detach(&path, NULL);
	return 0;
fail:
	rmdir(dir.data);
	buf_free(&dir);
	buf_free(&path);
	return -1;
}

void
ui_save_temp_remove(char *dir, char *path)
{
	if (path)
		unlink(path);
	if (dir)
		rmdir(dir);
	free(path);
	free(dir);
}

void
ui_save_target(const char *typed, const char *own, size_t index, char **dir_r,
    char **name_r)
{
	struct buf home = BUF_INIT, into = BUF_INIT;
	const char *rest = typed, *slash;
	struct stat st;
	char *dir;

	if (rest[0] == '~' && rest[1] == '/' && getenv("HOME")) {
		buf_printf(&home, "%s%s", getenv("HOME"), rest + 1);
		rest = buf_cstr(&home);
	}
	/* Into a folder: under the attachment's own name. */
	if (stat(rest, &st) == 0 && S_ISDIR(st.st_mode)) {
		buf_printf(&into, "%s/", rest);
		rest = buf_cstr(&into);
	}
	if (*rest == '\0') {
		dir = getcwd(NULL, 0);
		*dir_r = xstrdup(dir ? dir : ".");
		free(dir);
		*name_r = mime_safe_filename(own, index);
	} else if ((slash = strrchr(rest, '/')) != NULL) {
		*dir_r = slash == rest ? xstrdup("/") :
		    xstrndup(rest, (size_t)(slash - rest));
		*name_r = mime_safe_filename(slash[1] ? slash + 1 : own, index);
	} else {
		*dir_r = xstrdup(".");
		*name_r = mime_safe_filename(rest, index);
	}
	buf_free(&home);
	buf_free(&into);
}

/* A write lock on the whole file, as Mutt and procmail take with fcntl;
 * waits a few seconds for another writer, never forever. */
static int
lock_file(int fd)
{
	struct flock fl;
	int i;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	for (i = 0; i < 50; i++) {
		if (fcntl(fd, F_SETLK, &fl) == 0)
			return 0;
		if (errno != EACCES && errno != EAGAIN)
			return -1;
		usleep(100000);
	}
	errno = EAGAIN;
	return -1;
}

int
ui_save_mbox(const char *path, const void *data, size_t len, int raw,
    struct error *err)
{
	struct stat st;
	char head[5], tail[2];
	int fd, rc = -1;
	ssize_t n;

	if (raw) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
		if (fd < 0 && errno == EEXIST)
			return error_set(err, "%s exists; nothing written "
			    "(a message file is never replaced)", path);
	} else {
		fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
	}
	if (fd < 0)
		return error_errno(err, errno, "cannot open %s", path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		error_set(err, "%s is not a file; nothing written", path);
		goto out;
	}
	if (!raw && lock_file(fd) < 0) {
		error_errno(err, errno, "cannot lock %s", path);
		goto out;
	}
	if (!raw && st.st_size > 0) {
		/* Only an mbox is appended to: anything else is the user's
		 * file, which a message would damage. */
		if (pread(fd, head, 5, 0) != 5 || memcmp(head, "From ", 5)) {
			error_set(err, "%s exists and is not an mbox; nothing "
			    "written", path);
			goto out;
		}
		/* Entries are separated by an empty line. */
		n = pread(fd, tail, 2, st.st_size >= 2 ? st.st_size - 2 : 0);
		if (n >= 1 && tail[n - 1] != '\n' &&
		    write_all(fd, (const unsigned char *)"\n\n", 2) < 0)
			goto werr;
		if (n == 2 && tail[1] == '\n' && tail[0] != '\n' &&
		    write_all(fd, (const unsigned char *)"\n", 1) < 0)
			goto werr;
	}
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0)
		goto werr;
	rc = 0;
	goto out;
werr:
	error_errno(err, errno, "cannot write %s", path);
	if (!raw && ftruncate(fd, st.st_size) < 0)
		error_errno(err, errno, "cannot write %s, and cannot take "
		    "back what was written", path);
out:
	if (close(fd) < 0 && rc == 0)
		rc = error_errno(err, errno, "cannot write %s", path);
	if (rc < 0 && raw)
		unlink(path);
	return rc;
}
