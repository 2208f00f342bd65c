/* Unit tests of net/sasl (OAUTHBEARER, XOAUTH2, base64, the error
 * challenge) and core/json, which reads it. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "net/http.h"
#include "net/sasl.h"

START_TEST(test_oauthbearer)
{
	struct buf b = BUF_INIT;
	static const char want[] = "n,a=user=2Cx=3Dy@example.org,\001"
	    "host=mail.example.org\001port=993\001auth=Bearer tok.en\001\001";

	ck_assert_int_eq(sasl_oauth_initial(&b, SASL_OAUTHBEARER,
	    "user,x=y@example.org", "mail.example.org", 993, "tok.en"), 0);
	ck_assert_uint_eq(b.len, sizeof(want) - 1);
	ck_assert(memcmp(b.data, want, b.len) == 0);
	buf_free(&b);
}
END_TEST

START_TEST(test_xoauth2)
{
	struct buf b = BUF_INIT, e = BUF_INIT;

	ck_assert_int_eq(sasl_oauth_initial(&b, SASL_XOAUTH2,
	    "someuser@example.com", "h", 1,
	    "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg"), 0);
	/* The example of Google's XOAUTH2 description. */
	sasl_b64_encode(&e, b.data, b.len);
	ck_assert_str_eq(buf_cstr(&e), "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFh"
	    "dXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1sem"
	    "RHRXVZMjl0Q2cBAQ==");
	buf_free(&b);
	buf_free(&e);
}
END_TEST

START_TEST(test_refused_bytes)
{
	struct buf b = BUF_INIT;

	/* A ^A, CR or LF would end a field or the line: refused, and
	 * nothing half-built is left. */
	ck_assert_int_eq(sasl_oauth_initial(&b, SASL_OAUTHBEARER, "u", "h",
	    1, "a\001auth=Bearer x"), -1);
	ck_assert_int_eq(sasl_oauth_initial(&b, SASL_XOAUTH2, "u\r\n", "h",
	    1, "t"), -1);
	ck_assert_uint_eq(b.len, 0);
	buf_free(&b);
}
END_TEST

START_TEST(test_abort)
{
	size_t n;

	ck_assert(memcmp(sasl_oauth_abort(SASL_OAUTHBEARER, &n), "\001",
	    1) == 0);
	ck_assert_uint_eq(n, 1);
	sasl_oauth_abort(SASL_XOAUTH2, &n);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_b64)
{
	static const char *const in[] = { "", "f", "fo", "foo", "foob",
		"fooba", "foobar" };
	static const char *const out[] = { "", "Zg==", "Zm8=", "Zm9v",
		"Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
	struct buf e = BUF_INIT, d = BUF_INIT;
	size_t k;

	for (k = 0; k < 7; k++) {
		buf_reset(&e);
		buf_reset(&d);
		sasl_b64_encode(&e, in[k], strlen(in[k]));
		ck_assert_str_eq(buf_cstr(&e), out[k]);
		ck_assert_int_eq(sasl_b64_decode(&d, e.data, e.len), 0);
		ck_assert_str_eq(buf_cstr(&d), in[k]);
	}
	buf_reset(&d);
	ck_assert_int_eq(sasl_b64_decode(&d, "Zm9v!", 5), -1);
	ck_assert_int_eq(sasl_b64_decode(&d, "Z", 1), -1);
	ck_assert_int_eq(sasl_b64_decode(&d, "Zm 9v", 5), -1);
	ck_assert_uint_eq(d.len, 0);
	buf_free(&e);
	buf_free(&d);
}
END_TEST

static enum sasl_oauth_verdict
verdict(const char *json, char *status, size_t size)
{
	struct buf e = BUF_INIT;
	enum sasl_oauth_verdict v;

	sasl_b64_encode(&e, json, strlen(json));
	v = sasl_oauth_error(e.data ? e.data : "", e.len, status, size);
	buf_free(&e);
	return v;
}

START_TEST(test_error_challenge)
{
	char st[40];

	/* RFC 7628's example, Google's, Dovecot's. */
	ck_assert_int_eq(verdict("{\"status\":\"invalid_token\","
	    "\"scope\":\"example_scope\",\"openid-configuration\":"
	    "\"https://example.com/.well-known/openid-configuration\"}",
	    st, sizeof(st)), SASL_OAUTH_INVALID);
	ck_assert_str_eq(st, "invalid_token");
	ck_assert_int_eq(verdict("{\n  \"status\": \"401\",\n  \"schemes\": "
	    "\"bearer\",\n  \"scope\": \"https://mail.google.com/\"\n}",
	    st, sizeof(st)), SASL_OAUTH_INVALID);
	ck_assert_str_eq(st, "401");
	ck_assert_int_eq(verdict("{\"status\":\"insufficient_scope\"}", st,
	    sizeof(st)), SASL_OAUTH_SCOPE);
	/* Not JSON, no status, a status that is not a string we know, a
	 * status full of control bytes (cleaned, truncated). */
	ck_assert_int_eq(verdict("invalid_token", st, sizeof(st)),
	    SASL_OAUTH_OTHER);
	ck_assert_str_eq(st, "");
	ck_assert_int_eq(verdict("{\"scope\":\"x\"}", st, sizeof(st)),
	    SASL_OAUTH_OTHER);
	ck_assert_int_eq(verdict("{\"status\":{\"a\":1}}", st, sizeof(st)),
	    SASL_OAUTH_OTHER);
	ck_assert_int_eq(verdict("{\"status\":\"a\\u001b[31mbcdef\"}", st,
	    5), SASL_OAUTH_OTHER);
	ck_assert_str_eq(st, "a[31");
	ck_assert_int_eq(sasl_oauth_error("%%%", 3, st, sizeof(st)),
	    SASL_OAUTH_OTHER);
}
END_TEST

static int
get(const char *json, const char *key, char *out, size_t size)
{
	struct buf b = BUF_INIT;
	int rc = json_get(json, strlen(json), key, &b);

	snprintf(out, size, "%s", buf_cstr(&b));
	buf_free(&b);
	return rc;
}

START_TEST(test_json)
{
	static const char tok[] = "{\"access_token\":\"2YotnFZFEjr1zCsicMWpAA\","
	    "\"token_type\":\"Bearer\",\"expires_in\":3600,"
	    "\"refresh_token\":\"tGzv3JOkF0XG5Qx2TlKWIA\","
	    "\"example_parameter\":\"example_value\","
	    "\"nested\":{\"access_token\":\"no\",\"a\":[1,2,{\"b\":null}]}}";
	char v[64];

	ck_assert_int_eq(get(tok, "access_token", v, sizeof(v)), 1);
	ck_assert_str_eq(v, "2YotnFZFEjr1zCsicMWpAA");
	ck_assert_int_eq(get(tok, "expires_in", v, sizeof(v)), 1);
	ck_assert_str_eq(v, "3600");
	ck_assert_int_eq(get(tok, "scope", v, sizeof(v)), 0);
	ck_assert_int_eq(get(tok, "nested", v, sizeof(v)), 0);
	ck_assert_int_eq(get(" {\"a\" : \"x\\\"\\\\\\/\\n\\u00e9\\ud83d\\ude00\"} ",
	    "a", v, sizeof(v)), 1);
	ck_assert_str_eq(v, "x\"\\/\n\xc3\xa9\xf0\x9f\x98\x80");
	ck_assert_int_eq(get("{\"a\":true,\"b\":-1.5e+3}", "b", v,
	    sizeof(v)), 1);
	ck_assert_str_eq(v, "-1.5e+3");
	/* The first of two members with one name counts. */
	ck_assert_int_eq(get("{\"a\":\"1\",\"a\":\"2\"}", "a", v,
	    sizeof(v)), 1);
	ck_assert_str_eq(v, "1");
}
END_TEST

START_TEST(test_json_bad)
{
	static const char *const bad[] = { "", "[]", "\"a\"", "{", "{\"a\"}",
		"{\"a\":}", "{\"a\":1,}", "{\"a\":1} x", "{\"a\":01}",
		"{\"a\":\"\\u0000\"}", "{\"a\":\"\\ud800\"}",
		"{\"a\":\"\\udc00\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\t\"}",
		"{\"a\":tru}", "{\"a\":1.}", "{\"a\":-}", "{'a':1}",
		"{\"a\":\"unterminated}", NULL };
	char deep[200];
	struct buf b = BUF_INIT;
	size_t k;

	for (k = 0; bad[k]; k++)
		ck_assert_msg(json_get(bad[k], strlen(bad[k]), "a", &b) == -1,
		    "accepted %s", bad[k]);
	/* Nesting past JSON_MAX_DEPTH is refused, not recursed into. */
	memset(deep, 0, sizeof(deep));
	deep[0] = '{';
	memcpy(deep + 1, "\"a\":", 4);
	for (k = strlen(deep); k < 150; k++)
		deep[k] = '[';
	ck_assert_int_eq(json_get(deep, strlen(deep), "a", &b), -1);
	/* A NUL inside the text is not JSON. */
	ck_assert_int_eq(json_get("{\"a\":\"x\0y\"}", 11, "a", &b), -1);
	ck_assert_uint_eq(b.len, 0);
	buf_free(&b);
}
END_TEST

START_TEST(test_http_helpers)
{
	struct buf b = BUF_INIT;

	/* Form values: unreserved bytes kept, the rest %XX. */
	http_form_escape(&b, "a b&c=d/é~._-");
	ck_assert_str_eq(buf_cstr(&b), "a%20b%26c%3Dd%2F%C3%A9~._-");
	buf_reset(&b);
	/* The S256 challenge (expected value from Python's hashlib). */
	http_pkce_challenge(&b, "dBjftJeZ4CVP-mJ92K9qGWi0ifvVRaAz0ByrdM81Kco");
	ck_assert_str_eq(buf_cstr(&b),
	    "gHxP-IcF-5tn61uPnzy4ZoyxLAoGJSiR2iqPsbA8L_8");
	buf_reset(&b);
	/* Random verifiers: base64url, no padding, 48 bytes -> 64. */
	ck_assert_int_eq(http_random_urlsafe(&b, 48, NULL), 0);
	ck_assert_uint_eq(b.len, 64);
	ck_assert_uint_eq(strspn(buf_cstr(&b), "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_"), 64);
	buf_reset(&b);
	/* The redirect's query: decoded; a name must match whole. */
	ck_assert_int_eq(http_query_get("xcode=1&code=a%2Fb+c&state=s",
	    "code", &b), 1);
	ck_assert_str_eq(buf_cstr(&b), "a/b c");
	buf_reset(&b);
	ck_assert_int_eq(http_query_get("error=access_denied", "code", &b),
	    0);
	ck_assert_int_eq(http_query_get("code=%zz%4", "code", &b), 1);
	ck_assert_str_eq(buf_cstr(&b), "%zz%4");
	buf_free(&b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sasl");
	TCase *tc = tcase_create("sasl");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_oauthbearer);
	tcase_add_test(tc, test_xoauth2);
	tcase_add_test(tc, test_refused_bytes);
	tcase_add_test(tc, test_abort);
	tcase_add_test(tc, test_b64);
	tcase_add_test(tc, test_error_challenge);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_json_bad);
	tcase_add_test(tc, test_http_helpers);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
