/* setup: the setup form's suggestions and the config it writes (contract
 * in setup.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/paths.h"
#include "core/str.h"
#include "ui/setup.h"

static const char *
domain_of(const char *address)
{
	const char *at = strrchr(address, '@');

	if (at == NULL || at == address || at[1] == '\0' ||
	    strchr(at + 1, '.') == NULL || strpbrk(address, " \t<>\"") ||
	    at[1] == '.' || at[strlen(at) - 1] == '.')
		return NULL;
	return at + 1;
}

int
setup_suggest(const char *address, enum config_protocol proto,
    enum config_tls tls, enum config_tls smtp_tls,
    struct setup_suggestion *s)
{
	const char *d = domain_of(address);
	char dom[200];
	size_t i, n = 0;

	if (d == NULL || strlen(d) >= sizeof(dom))
		return -1;
	for (i = 0; d[i]; i++)
		dom[i] = (char)((d[i] >= 'A' && d[i] <= 'Z') ? d[i] - 'A' +
		    'a' : d[i]);
	dom[i] = '\0';
	/* The first label names the account ("example" for example.org). */
	for (i = 0; dom[i] && dom[i] != '.' && n < sizeof(s->account) - 1;
	    i++)
		if ((dom[i] >= 'a' && dom[i] <= 'z') ||
		    (dom[i] >= '0' && dom[i] <= '9') || dom[i] == '-' ||
		    dom[i] == '_')
			s->account[n++] = dom[i];
	s->account[n] = '\0';
	if (n == 0)
		str_lcpy(s->account, "mail", sizeof(s->account));
	snprintf(s->host, sizeof(s->host), "%s.%s",
	    proto == CONFIG_POP3 ? "pop" : "imap", dom);
	if (proto == CONFIG_POP3)
		s->port = tls == CONFIG_TLS_IMPLICIT ? 995 : 110;
	else
		s->port = tls == CONFIG_TLS_IMPLICIT ? 993 : 143;
	snprintf(s->smtp_host, sizeof(s->smtp_host), "smtp.%s", dom);
	s->smtp_port = smtp_tls == CONFIG_TLS_IMPLICIT ? 465 : 587;
	return 0;
}

/* A value as config_parse reads it back: quoted when a '#', a quote, a
 * backslash or an outer space would change it. */
static void
value(struct buf *out, const char *key, const char *v)
{
	size_t n = strlen(v);
	const char *p;

	buf_printf(out, "%s = ", key);
	if (strpbrk(v, "#\"\\") == NULL && n > 0 && v[0] != ' ' &&
	    v[n - 1] != ' ') {
		buf_addstr(out, v);
	} else {
		buf_addch(out, '"');
		for (p = v; *p; p++) {
			if (*p == '"' || *p == '\\')
				buf_addch(out, '\\');
			buf_addch(out, *p);
		}
		buf_addch(out, '"');
	}
	buf_addch(out, '\n');
}

static int
port_ok(const char *what, const char *v, struct error *err)
{
	unsigned long n;

	if (str_to_ulong(v, 65535, &n) < 0 || n == 0)
		return error_set(err, "the %s must be a number from 1 to "
		    "65535", what);
	return 0;
}

static int
check(const struct setup_answers *a, struct error *err)
{
	const char *p;

	if (domain_of(a->address) == NULL)
		return error_set(err, "the email address must look like "
		    "name@example.org");
	if (*a->account == '\0')
		return error_set(err, "the account needs a name");
	for (p = a->account; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '-'))
			return error_set(err, "the account name may hold only "
			    "letters, digits, '.', '_' and '-' (it names "
			    "folders on disk)");
	if (a->provider != CONFIG_PROVIDER_NONE) {
		if (*a->user == '\0')
			return error_set(err, "the user is empty");
		if (*a->client_id == '\0')
			return error_set(err, "give your client id: the "
			    "application you registered with the provider "
			    "(postie.conf(5), oauth2_client_id)");
		if (strpbrk(a->name, "<>\"\\"))
			return error_set(err, "your name may not hold <, >, "
			    "\" or \\");
		return 0;
	}
	if (*a->host == '\0')
		return error_set(err, "the server is empty");
	if (port_ok("port", a->port, err) < 0)
		return -1;
	if (*a->user == '\0')
		return error_set(err, "the user is empty");
	if (a->store_password && *a->password == '\0')
		return error_set(err, "the password is empty");
	if (!a->store_password && *a->password_command == '\0')
		return error_set(err, "give a password command (for example "
		    "'pass show mail/%s'), or choose to store the password "
		    "in the file", a->account);
	if (*a->ca_file && a->ca_file[0] != '/' &&
	    strncmp(a->ca_file, "~/", 2) != 0)
		return error_set(err, "the CA file must be an absolute path "
		    "or start with ~/");
	if (*a->smtp_host && port_ok("SMTP port", a->smtp_port, err) < 0)
		return -1;
	if (strpbrk(a->name, "<>\"\\"))
		return error_set(err, "your name may not hold <, >, \" or \\");
	return 0;
}

static const char *
tls_value(enum config_tls t)
{
	return t == CONFIG_TLS_STARTTLS ? "starttls" :
	    t == CONFIG_TLS_NONE ? "none" : "implicit";
}

/* The OAuth2 keys: the provider fills in servers, ports and endpoints. */
static void
oauth_text(const struct setup_answers *a, struct buf *out)
{
	buf_addstr(out, "# OAuth2 sign-in: the provider fills in the servers, "
	    "ports, endpoints\n# and scope.  `postie authorize NAME` signs "
	    "in again when the\n# sign-in expires.\n");
	value(out, "provider", a->provider == CONFIG_PROVIDER_GMAIL ?
	    "gmail" : "outlook");
	value(out, "auth", "oauth2");
	value(out, "user", a->user);
	buf_addstr(out, "# Your own application, registered with the provider "
	    "as postie.conf(5)\n# explains (oauth2_client_id).\n");
	value(out, "oauth2_client_id", a->client_id);
	if (*a->client_secret)
		value(out, "oauth2_client_secret", a->client_secret);
}

int
setup_config_text(const struct setup_answers *a, struct buf *out,
    struct error *err)
{
	struct buf from = BUF_INIT;
	char date[32];
	time_t now = time(NULL);
	struct tm tm;

	if (check(a, err) < 0)
		return -1;
	buf_secret(out);
	strftime(date, sizeof(date), "%Y-%m-%d", localtime_r(&now, &tm));
	buf_printf(out,
	    "# postie configuration, written by postie's setup form on %s.\n"
	    "# Every key is explained in postie.conf(5) (`man postie.conf`);\n"
	    "# `postie check-config` checks this file and says what each\n"
	    "# account does.  More accounts: add [account NAME] sections.\n"
	    "\n[account %s]\n", date, a->account);
	if (a->protocol == CONFIG_IMAP)
		buf_addstr(out, "# IMAP: mail stays on the server; postie keeps "
		    "a copy of what it\n# shows, for reading offline.\n");
	else
		buf_addstr(out, "# POP3: postie downloads mail into a Maildir on "
		    "this computer.\n");
	value(out, "protocol", a->protocol == CONFIG_POP3 ? "pop3" : "imap");
	if (a->provider != CONFIG_PROVIDER_NONE) {
		oauth_text(a, out);
		goto retention;
	}
	value(out, "host", a->host);
	value(out, "port", a->port);
	buf_addstr(out, "# implicit: TLS from the first byte; starttls: TLS "
	    "required after\n# STARTTLS; none: no encryption at all (needs "
	    "allow_plaintext = yes).\n");
	value(out, "tls", tls_value(a->tls));
	if (a->tls == CONFIG_TLS_NONE || (*a->smtp_host &&
	    a->smtp_tls == CONFIG_TLS_NONE)) {
		buf_addstr(out, "# INSECURE: the password and your mail cross "
		    "the network unencrypted.\n");
		value(out, "allow_plaintext", "yes");
	}
	value(out, "user", a->user);
	if (a->store_password) {
		buf_addstr(out, "# The password itself, kept readable by you "
		    "alone (mode 0600); postie\n# refuses this file if group "
		    "or others can read it.  A password_command\n# (pass, "
		    "secret-tool, ...) keeps it out of files.\n");
		value(out, "password", a->password);
	} else {
		buf_addstr(out, "# postie runs this and uses the first line it "
		    "prints as the password.\n");
		value(out, "password_command", a->password_command);
	}
	if (*a->ca_file) {
		buf_addstr(out, "# Certificates signed by this CA are trusted "
		    "besides the system's.\n");
		value(out, "ca_file", a->ca_file);
	}
retention:
	if (a->protocol == CONFIG_POP3) {
		if (a->keep_on_server)
			buf_addstr(out, "# yes: mail stays on the server too; "
			    "postie remembers what it downloaded.\n");
		else
			buf_addstr(out, "# no: each message is deleted from the "
			    "server once it is safely on disk\n# here: this "
			    "computer then holds the only copy.\n");
		value(out, "keep_on_server", a->keep_on_server ? "yes" : "no");
	}
	if (a->provider != CONFIG_PROVIDER_NONE || *a->smtp_host) {
		buf_addstr(out, "\n# Sending, through the submission server "
		    "(same user and sign-in).\n");
		/* RFC 5322: a name with specials is a quoted string. */
		if (*a->name && strpbrk(a->name, "()[]:;@,."))
			buf_printf(&from, "\"%s\" <%s>", a->name, a->address);
		else if (*a->name)
			buf_printf(&from, "%s <%s>", a->name, a->address);
		else
			buf_addstr(&from, a->address);
		value(out, "from", buf_cstr(&from));
		if (a->provider == CONFIG_PROVIDER_NONE) {
			value(out, "smtp_host", a->smtp_host);
			value(out, "smtp_port", a->smtp_port);
			value(out, "smtp_tls", tls_value(a->smtp_tls));
		}
	} else {
		buf_addstr(out, "\n# Not set up for sending: add from, smtp_host, "
		    "smtp_port and smtp_tls\n# (postie.conf(5)) to send mail.\n");
	}
	buf_free(&from);
	return 0;
}

int
setup_write_config(const char *path, const struct buf *text,
    struct error *err)
{
	struct buf tmp = BUF_INIT, dir = BUF_INIT;
	const char *slash = strrchr(path, '/');
	struct stat st;
	size_t off = 0;
	ssize_t n;
	int fd = -1, rc = -1;

	if (slash && slash != path) {
		buf_add(&dir, path, (size_t)(slash - path));
		if (stat(buf_cstr(&dir), &st) < 0 &&
		    paths_mkdir(buf_cstr(&dir), err) < 0)
			goto out;
	}
	if (lstat(path, &st) == 0) {
		error_set(err, "%s exists already; postie leaves it alone", path);
		goto out;
	}
	buf_printf(&tmp, "%s.setup-%ld", path, (long)getpid());
	fd = open(buf_cstr(&tmp), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (fd < 0) {
		error_errno(err, errno, "cannot create %s", buf_cstr(&tmp));
		goto out;
	}
	while (off < text->len) {
		n = write(fd, text->data + off, text->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error_errno(err, errno, "cannot write %s", path);
			goto out;
		}
		off += (size_t)n;
	}
	if (fsync(fd) < 0) {
		error_errno(err, errno, "cannot write %s", path);
		goto out;
	}
	/* link(2), unlike rename(2), fails when the name exists: a config
	 * written meanwhile by someone else is never replaced. */
	if (link(buf_cstr(&tmp), path) < 0) {
		error_errno(err, errno, "cannot create %s", path);
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0) {
		close(fd);
		unlink(buf_cstr(&tmp));
	}
	buf_free(&tmp);
	buf_free(&dir);
	return rc;
}
