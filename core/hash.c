/* hash: see hash.h.  SipHash-2-4 as specified by Aumasson and Bernstein. */
#include "config.h"

#include "core/hash.h"

#include <pthread.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND \
	do { \
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2; \
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0; \
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
	} while (0)

static uint64_t
le64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

uint64_t
hash_siphash(const unsigned char key[16], const void *data, size_t len)
{
	const unsigned char *in = data, *end = in + (len - len % 8);
	uint64_t k0 = le64(key), k1 = le64(key + 8), m;
	uint64_t v0 = 0x736f6d6570736575ull ^ k0;
	uint64_t v1 = 0x646f72616e646f6dull ^ k1;
	uint64_t v2 = 0x6c7967656e657261ull ^ k0;
	uint64_t v3 = 0x7465646279746573ull ^ k1;
	uint64_t b = (uint64_t)len << 56;
	size_t left = len % 8;

	for (; in != end; in += 8) {
		m = le64(in);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	while (left-- > 0)
		b |= (uint64_t)in[left] << (8 * left);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

static unsigned char process_key[16];
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void
key_init(void)
{
	struct timespec ts;
	size_t got = 0;
	ssize_t r;

	while (got < sizeof(process_key)) {
		r = getrandom(process_key + got, sizeof(process_key) - got, 0);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got == sizeof(process_key))
		return;
	/* No random source (a very old kernel): a key that is at least
	 * not the same for every run. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	memcpy(process_key, &ts, sizeof(ts) < 16 ? sizeof(ts) : 16);
	process_key[0] ^= (unsigned char)getpid();
}

uint64_t
hash_keyed(const void *data, size_t len)
{
	pthread_once(&key_once, key_init);
	return hash_siphash(process_key, data, len);
}
