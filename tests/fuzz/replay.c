/*
 * Corpus replay: links with a fuzz target instead of libFuzzer, so that
 * `make check` runs every saved input (seeds and past crashes) through it.
 * Usage: fuzz_NAME [FILE_OR_DIR...]; with no argument it replays
 * FUZZ_CORPUS (defined at build time: tests/fuzz/corpus/NAME), so the
 * binary itself can be listed in TESTS.  Exit status 0 when every input
 * ran (a crash aborts, which fails the test).
 */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run_file(const char *path)
{
	unsigned char *data = NULL;
	size_t len = 0, cap = 0, n;
	FILE *fp = fopen(path, "rb");

	if (fp == NULL) {
		perror(path);
		return -1;
	}
	do {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			if ((data = realloc(data, cap)) == NULL)
				abort();
		}
		n = fread(data + len, 1, cap - len, fp);
		len += n;
	} while (n > 0);
	fclose(fp);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

static int
run_path(const char *path, unsigned *count)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (stat(path, &st) < 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	if ((d = opendir(path)) == NULL) {
		perror(path);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char sub[4096];

		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		if (run_path(sub, count) < 0)
			rc = -1;
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	unsigned count = 0;
	int i, rc = 0;

	for (i = 1; i < argc; i++)
		if (run_path(argv[i], &count) < 0)
			rc = 1;
#ifdef FUZZ_CORPUS
	if (argc == 1 && run_path(FUZZ_CORPUS, &count) < 0)
		rc = 1;
#endif
	printf("replayed %u inputs\n", count);
	return rc;
}
