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
