/*
 * conn_tls: the TLS half of conn (see conn.h and the top of conn.c).
 */
#include <config.h> /* the build's, for _GNU_SOURCE */

#include "net/conn.h"
#include "net/conn_priv.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "core/buf.h"
#include "core/clock.h"

#define CONN_CLOSE_WAIT_MS 500
#define CONN_TLS_READ_BUF (64 * 1024)

/* --- the BIO that keeps SIGPIPE away ----------------------------------- */

static BIO_METHOD *conn_bio_method;
static pthread_once_t conn_bio_once = PTHREAD_ONCE_INIT;

static int
conn_bio_write(BIO *b, const char *data, int n)
{
	struct conn *c = BIO_get_data(b);
	ssize_t r;

	BIO_clear_retry_flags(b);
	r = send(c->fd, data, (size_t)n, MSG_NOSIGNAL);
	if (r < 0 &&
	    (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		BIO_set_retry_write(b);
	return (int)r;
}

static int
conn_bio_read(BIO *b, char *data, int n)
{
	struct conn *c = BIO_get_data(b);
	ssize_t r;

	BIO_clear_retry_flags(b);
	r = recv(c->fd, data, (size_t)n, 0);
	if (r < 0 &&
	    (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		BIO_set_retry_read(b);
	else if (r == 0)
		c->eof = 1;
	return (int)r;
}

static long
conn_bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	struct conn *c = BIO_get_data(b);

	(void)num;
	(void)ptr;
	switch (cmd) {
	case BIO_CTRL_FLUSH: return 1;
	case BIO_CTRL_EOF: return c->eof;
	default: return 0;
	}
}

static void
conn_bio_init(void)
{
	BIO_METHOD *m;

	m = BIO_meth_new(
	    BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "postie socket");
	if (m == NULL)
		return;
	BIO_meth_set_write(m, conn_bio_write);
	BIO_meth_set_read(m, conn_bio_read);
	BIO_meth_set_ctrl(m, conn_bio_ctrl);
	conn_bio_method = m;
}

const char *
conn_ssl_reason(unsigned long e)
{
	const char *s;

	if (e == 0)
		return "unknown error";
	if (ERR_GET_LIB(e) == ERR_LIB_SYS)
		return strerror(ERR_GET_REASON(e));
	s = ERR_reason_error_string(e);
	return s ? s : "unknown error";
}

/* --- TLS ------------------------------------------------------------------ */

/* Copies server-supplied bytes as printable ASCII only. */
static void
add_clean(struct buf *b, const unsigned char *s, size_t n)
{
	size_t i;

	if (n > 128)
		n = 128;
	for (i = 0; i < n; i++)
		buf_addch(b, s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?');
}

static void
add_cn(struct buf *b, const X509_NAME *name)
{
	const X509_NAME_ENTRY *e;
	const ASN1_STRING *d;
	int i;

	i = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
	if (i < 0 || (e = X509_NAME_get_entry(name, i)) == NULL) {
		buf_addstr(b, "no name");
		return;
	}
	d = X509_NAME_ENTRY_get_data(e);
	add_clean(b, ASN1_STRING_get0_data(d), (size_t)ASN1_STRING_length(d));
}

/* The names a certificate is for: its subjectAltNames, else its CN. */
static void
add_names(struct buf *b, X509 *cert)
{
	GENERAL_NAMES *gens;
	const GENERAL_NAME *g;
	const ASN1_STRING *d;
	char ip[INET6_ADDRSTRLEN];
	int i, n, shown = 0;

	gens = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	n = gens ? sk_GENERAL_NAME_num(gens) : 0;
	for (i = 0; i < n; i++) {
		g = sk_GENERAL_NAME_value(gens, i);
		if (g->type != GEN_DNS && g->type != GEN_IPADD)
			continue;
		if (shown == 5) {
			buf_printf(b, " and others");
			break;
		}
		if (shown++ > 0)
			buf_addstr(b, ", ");
		d = g->type == GEN_DNS ? g->d.dNSName : g->d.iPAddress;
		if (g->type == GEN_DNS)
			add_clean(b, ASN1_STRING_get0_data(d),
			    (size_t)ASN1_STRING_length(d));
		else if (ASN1_STRING_length(d) == 4 &&
		    inet_ntop(
		        AF_INET, ASN1_STRING_get0_data(d), ip, sizeof(ip)))
			buf_addstr(b, ip);
		else if (ASN1_STRING_length(d) == 16 &&
		    inet_ntop(
		        AF_INET6, ASN1_STRING_get0_data(d), ip, sizeof(ip)))
			buf_addstr(b, ip);
		else
			buf_addstr(b, "?");
	}
	GENERAL_NAMES_free(gens);
	if (shown == 0)
		add_cn(b, X509_get_subject_name(cert));
}

static void
add_time(struct buf *b, const ASN1_TIME *t)
{
	struct tm tm;
	char s[64];

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm) ||
	    strftime(s, sizeof(s), "%Y-%m-%d %H:%M:%S UTC", &tm) == 0) {
		buf_addstr(b, "an unreadable date");
		return;
	}
	buf_addstr(b, s);
}

/* The first failure of the chain, as words. */
static void
add_reason(struct buf *b, struct conn *c, int verr, X509 *cert)
{
	switch (verr) {
	case X509_V_ERR_HOSTNAME_MISMATCH:
	case X509_V_ERR_IP_ADDRESS_MISMATCH:
	case X509_V_ERR_EMAIL_MISMATCH:
		buf_addstr(b, "certificate is for ");
		add_names(b, cert);
		buf_printf(b, ", not %s", c->servername);
		return;
	case X509_V_ERR_CERT_HAS_EXPIRED:
		buf_addstr(b, "certificate expired on ");
		add_time(b, X509_get0_notAfter(cert));
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		buf_addstr(b, "certificate is not valid before ");
		add_time(b, X509_get0_notBefore(cert));
		break;
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		buf_addstr(b, "self-signed certificate");
		return;
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		buf_addstr(b, "certificate issued by an unknown authority (");
		add_cn(b, X509_get_issuer_name(cert));
		buf_addstr(b, ")");
		return;
	default:
		buf_printf(b, "certificate not trusted: %s",
		    X509_verify_cert_error_string(verr));
		return;
	}
	/* a date problem of a CA, not of the server's own certificate */
	if (X509_cmp(cert, SSL_get0_peer_certificate(c->ssl)) != 0) {
		buf_addstr(b, " (authority ");
		add_cn(b, X509_get_subject_name(cert));
		buf_addstr(b, ")");
	}
}

static int
verify_cb(int ok, X509_STORE_CTX *store)
{
	SSL *ssl;
	struct conn *c;
	X509 *cert;

	if (ok)
		return 1;
	ssl = X509_STORE_CTX_get_ex_data(
	    store, SSL_get_ex_data_X509_STORE_CTX_idx());
	c = ssl ? SSL_get_app_data(ssl) : NULL;
	if (c != NULL && c->verr == X509_V_OK) {
		c->verr = X509_STORE_CTX_get_error(store);
		cert = X509_STORE_CTX_get_current_cert(store);
		if (cert != NULL && X509_up_ref(cert))
			c->vcert = cert;
	}
	/* decided in tls_check(), before any application data */
	return 1;
}

static void
hexify(char *dst, const unsigned char *md, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		dst[2 * i] = hex[md[i] >> 4];
		dst[2 * i + 1] = hex[md[i] & 15];
	}
	dst[2 * n] = '\0';
}

static int
tls_check(struct conn *c, struct error *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	char fp[2 * 32 + 1];
	unsigned mdlen = 0;
	struct buf b = BUF_INIT;
	X509 *peer;
	int verr;

	peer = SSL_get0_peer_certificate(c->ssl);
	if (peer == NULL)
		return error_set(err, "%s sent no TLS certificate", c->host);
	if (!X509_digest(peer, EVP_sha256(), md, &mdlen) || mdlen != 32)
		return error_set(err,
		    "cannot compute the fingerprint of the "
		    "certificate of %s",
		    c->host);
	hexify(fp, md, 32);
	verr = c->verr;
	if (verr == X509_V_OK)
		verr = (int)SSL_get_verify_result(c->ssl);
	if (c->has_pin) {
		/* the pin decides alone: match accepts a failing chain,
		 * mismatch refuses even a valid one */
		if (CRYPTO_memcmp(md, c->pin, 32) == 0)
			return 0;
		return error_set(err,
		    "the certificate of %s does not match "
		    "the pinned fingerprint%s; fingerprint sha256:%s",
		    c->host,
		    verr == X509_V_OK ? " (refused although its chain is valid)"
		                      : "",
		    fp);
	}
	if (verr == X509_V_OK)
		return 0;
	buf_printf(&b, "cannot trust %s: ", c->host);
	add_reason(&b, c, verr, c->vcert ? c->vcert : peer);
	buf_printf(&b, "; fingerprint sha256:%s", fp);
	error_set(err, "%s", buf_cstr(&b));
	buf_free(&b);
	return -1;
}

static int
is_ip_literal(const char *s)
{
	unsigned char a[16];

	return inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1;
}

/*
 * Whether the system's hashed certificate directory has certificates.
 * It is read lazily, one issuer at a time, whereas the bundle file would
 * be parsed whole (some 140 certificates, tens of milliseconds) on every
 * connection; where there is no such directory (or SSL_CERT_FILE names a
 * bundle), the bundle is loaded when an issuer is missing
 * (get_issuer_lazily).
 */
static int
system_dir_usable(void)
{
	const char *dir = getenv(X509_get_default_cert_dir_env());
	struct dirent *de;
	DIR *d;
	int found = 0;

	if (dir == NULL || *dir == '\0')
		dir = X509_get_default_cert_dir();
	if (strchr(dir, ':') != NULL) /* a list: let OpenSSL have it all */
		return 0;
	if ((d = opendir(dir)) == NULL)
		return 0;
	while (!found && (de = readdir(d)) != NULL)
		found = strlen(de->d_name) == 10 &&
		    strspn(de->d_name, "0123456789abcdef") == 8 &&
		    strcmp(de->d_name + 8, ".0") == 0;
	closedir(d);
	return found;
}

/*
 * The store's issuer search, which loads the system bundle file the first
 * time an issuer is not in the store already (ca_file and the hashed
 * directory are searched first).  A server whose chain ends in ca_file
 * (the usual reason to set it) never pays for parsing the whole bundle;
 * one that needs the system store finds exactly the same issuers.
 */
static int
get_issuer_lazily(X509 **issuer, X509_STORE_CTX *sctx, X509 *x)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(sctx,
	    SSL_get_ex_data_X509_STORE_CTX_idx());
	struct conn *c = ssl ? SSL_get_app_data(ssl) : NULL;
	const char *file;
	int rc;

	if ((rc = X509_STORE_CTX_get1_issuer(issuer, sctx, x)) != 0 ||
	    c == NULL || !c->bundle_pending)
		return rc;
	c->bundle_pending = 0;
	if ((file = getenv(X509_get_default_cert_file_env())) == NULL)
		file = X509_get_default_cert_file();
	/* No system store is fine: ca_file or a pin may still verify. */
	if (!X509_STORE_load_file(X509_STORE_CTX_get0_store(sctx), file))
		ERR_clear_error();
	return X509_STORE_CTX_get1_issuer(issuer, sctx, x);
}

static int
tls_setup(struct conn *c, struct error *err)
{
	X509_VERIFY_PARAM *vp;
	FILE *f;
	BIO *bio;

	pthread_once(&conn_bio_once, conn_bio_init);
	if (conn_bio_method == NULL)
		return error_set(err, "cannot set up TLS: out of memory");
	c->ctx = SSL_CTX_new(TLS_client_method());
	if (c->ctx == NULL)
		return error_set(err, "cannot set up TLS: %s",
		    conn_ssl_reason(ERR_peek_error()));
	SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, verify_cb);
	if (!system_dir_usable() || getenv(X509_get_default_cert_file_env())) {
		c->bundle_pending = 1;
		X509_STORE_set_get_issuer(SSL_CTX_get_cert_store(c->ctx),
		    get_issuer_lazily);
	}
	SSL_CTX_set_default_verify_dir(c->ctx);
	ERR_clear_error();
	if (c->ca_file != NULL) {
		if ((f = fopen(c->ca_file, "r")) == NULL)
			return error_errno(err, errno,
			    "cannot read the CA file %s", c->ca_file);
		fclose(f);
		if (!SSL_CTX_load_verify_locations(c->ctx, c->ca_file, NULL))
			return error_set(err, "cannot use the CA file %s: %s",
			    c->ca_file, conn_ssl_reason(ERR_peek_error()));
	}
	c->ssl = SSL_new(c->ctx);
	if (c->ssl == NULL)
		return error_set(err, "cannot set up TLS: out of memory");
	SSL_set_app_data(c->ssl, c);
	/* Read whole socket buffers, not a record header then its body: a
	 * fraction of the reads (conn_wait_readable asks SSL_has_pending). */
	SSL_set_default_read_buffer_len(c->ssl, CONN_TLS_READ_BUF);
	SSL_set_read_ahead(c->ssl, 1);
	vp = SSL_get0_param(c->ssl);
	X509_VERIFY_PARAM_set_hostflags(
	    vp, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (is_ip_literal(c->servername)) {
		if (!X509_VERIFY_PARAM_set1_ip_asc(vp, c->servername))
			return error_set(
			    err, "cannot set up TLS for %s", c->servername);
	} else if (!SSL_set_tlsext_host_name(c->ssl, c->servername) ||
	    !SSL_set1_host(c->ssl, c->servername))
		return error_set(
		    err, "cannot set up TLS for %s", c->servername);
	bio = BIO_new(conn_bio_method);
	if (bio == NULL)
		return error_set(err, "cannot set up TLS: out of memory");
	BIO_set_data(bio, c);
	BIO_set_init(bio, 1);
	SSL_set_bio(c->ssl, bio, bio);
	return 0;
}

static int
handshake_error(struct conn *c, int ret, struct error *err)
{
	unsigned long e;
	int reason;

	c->ssl_dead = 1;
	e = ERR_peek_error();
	reason = ERR_GET_REASON(e);
	if (SSL_get_error(c->ssl, ret) == SSL_ERROR_SYSCALL ||
	    reason == SSL_R_UNEXPECTED_EOF_WHILE_READING || e == 0) {
		if (atomic_load(&c->shut))
			return conn_err_closed(c, err);
		return error_set(err,
		    "%s closed the connection during the "
		    "TLS handshake",
		    c->host);
	}
	switch (reason) {
	case SSL_R_UNSUPPORTED_PROTOCOL:
	case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
	case SSL_R_NO_PROTOCOLS_AVAILABLE:
		return error_set(err,
		    "TLS handshake with %s failed: the "
		    "server offers only protocol versions older than TLS 1.2",
		    c->host);
	case SSL_R_WRONG_VERSION_NUMBER:
	case SSL_R_PACKET_LENGTH_TOO_LONG:
	case SSL_R_RECORD_LENGTH_MISMATCH:
		return error_set(err,
		    "TLS handshake with %s failed: the "
		    "server does not speak TLS on port %u (a plaintext or "
		    "STARTTLS port?)",
		    c->host, c->port);
	default:
		return error_set(err, "TLS handshake with %s failed: %s",
		    c->host, conn_ssl_reason(e));
	}
}

int
conn_tls_handshake(struct conn *c, struct error *err)
{
	const SSL_CIPHER *cipher;
	int64_t dl;
	short ev;
	int ret;

	if (tls_setup(c, err) == -1)
		return -1;
	dl = conn_deadline(c);
	for (;;) {
		ERR_clear_error();
		ret = SSL_connect(c->ssl);
		if (ret == 1)
			break;
		switch (SSL_get_error(c->ssl, ret)) {
		case SSL_ERROR_WANT_READ: ev = POLLIN; break;
		case SSL_ERROR_WANT_WRITE: ev = POLLOUT; break;
		default: return handshake_error(c, ret, err);
		}
		if (conn_io_wait(c, ev, dl, err) == -1) {
			c->ssl_dead = 1;
			return -1;
		}
	}
	if (tls_check(c, err) == -1)
		return -1;
	cipher = SSL_get_current_cipher(c->ssl);
	snprintf(c->security, sizeof(c->security), "%s %s",
	    SSL_get_version(c->ssl), cipher ? SSL_CIPHER_get_name(cipher) : "");
	return 0;
}

int
conn_starttls(struct conn *c, struct error *err)
{
	if (c->ssl != NULL)
		return error_set(err,
		    "the connection to %s is already "
		    "under TLS",
		    c->host);
	if (c->rend > c->rstart)
		return error_set(err,
		    "%s sent data after its answer to "
		    "STARTTLS, before the TLS handshake; someone may have "
		    "injected it, so postie does not go on",
		    c->host);
	if (atomic_load(&c->shut))
		return conn_err_closed(c, err);
	return conn_tls_handshake(c, err);
}

void
conn_tls_close(struct conn *c)
{
	int64_t dl;
	int ret, e;

	if (c->ssl != NULL && !c->ssl_dead && !atomic_load(&c->shut) &&
	    SSL_is_init_finished(c->ssl)) {
		/* send close_notify; never wait for the peer's */
		dl = clock_ms() + CONN_CLOSE_WAIT_MS;
		for (;;) {
			ERR_clear_error();
			ret = SSL_shutdown(c->ssl);
			if (ret >= 0)
				break;
			e = SSL_get_error(c->ssl, ret);
			if ((e != SSL_ERROR_WANT_WRITE &&
			        e != SSL_ERROR_WANT_READ) ||
			    conn_io_poll(c,
			        e == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN,
			        dl) != 1)
				break;
		}
	}
	ERR_clear_error();
	SSL_free(c->ssl);
	SSL_CTX_free(c->ctx);
	X509_free(c->vcert);
	c->ssl = NULL;
	c->ctx = NULL;
	c->vcert = NULL;
}
