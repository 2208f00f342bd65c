/* save: safe file names for attachments, and writing one. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "mime/mime_int.h"

#define NAME_MAX_BYTES 200

char *
mime_safe_filename(const char *name, size_t index)
{
	struct buf clean = BUF_INIT, out = BUF_INIT;
	const char *s, *base;
	size_t i, len;

	str_clean_display(&clean, name ? name : "", name ? strlen(name) : 0, 0);
	s = buf_cstr(&clean);
	/* only the last path component, for both kinds of separator */
	base = s;
	for (i = 0; s[i]; i++)
		if (s[i] == '/' || s[i] == '\\')
			base = s + i + 1;
	while (*base == '.' || *base == ' ' || *base == '-')
		base++;
	len = strlen(base);
	for (i = 0; i < len;) {
		unsigned cp;
		size_t n = (unsigned char)base[i] < 0x80
		    ? 1
		    : str_utf8_decode(
		          (const unsigned char *)base + i, len - i, &cp);

		if (n == 0)
			n = 1;
		if (out.len + n > NAME_MAX_BYTES)
			break;
		if (n == 1 &&
		    (base[i] == ':' || base[i] == '*' || base[i] == '?' ||
		        base[i] == '"' || base[i] == '<' || base[i] == '>' ||
		        base[i] == '|'))
			buf_addch(&out, '_');
		else
			buf_add(&out, base + i, n);
		i += n;
	}
	while (out.len > 0 &&
	    (out.data[out.len - 1] == ' ' || out.data[out.len - 1] == '.'))
		buf_truncate(&out, out.len - 1);
	if (out.len == 0)
		buf_printf(&out, "attachment-%zu", index + 1);
	buf_free(&clean);
	return buf_detach(&out, NULL);
}

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
mime_save(const char *dir, const char *name, const void *data, size_t len,
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
