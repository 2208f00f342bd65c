/*
 * Fuzz target: pat_parse (core/pattern_parse.h) on arbitrary text.
 * Checks, besides memory safety, the contract: -1 always comes with no
 * tree and a sentence that says where ("... at column N", or the length
 * limit); 0 gives a tree every node of which is well formed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/pattern_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct pat_node *n)
{
	if (n == NULL)
		return;
	switch (n->kind) {
	case PAT_AND:
	case PAT_OR:
		if (n->a == NULL || n->b == NULL)
			abort();
		break;
	case PAT_NOT:
		if (n->a == NULL || n->b != NULL)
			abort();
		break;
	case PAT_STR:
	case PAT_WORDS:
		if (n->str == NULL || n->a || n->b)
			abort();
		break;
	case PAT_RANGE:
		if (n->min != PAT_MIN && n->max != PAT_MAX && n->min > n->max)
			abort();
		break;
	case PAT_FLAG:
		if (strchr("NOURFDTAQ", n->op) == NULL)
			abort();
		break;
	}
	if (n->col < 1)
		abort();
	check(n->a);
	check(n->b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pat_node *tree = (struct pat_node *)1;
	struct error err;
	char *text = malloc(size + 1);
	char *dump;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	error_clear(&err);
	if (pat_parse(text, 1773576000, &tree, &err) < 0) {
		if (tree != NULL || (strstr(err.msg, " at column ") == NULL &&
		    strstr(err.msg, "longer than") == NULL))
			abort();
	} else {
		check(tree);
		dump = pat_dump(tree);
		free(dump);
		pat_free(&tree);
	}
	free(text);
	return 0;
}
