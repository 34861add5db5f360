/* fuzz_select.c - libFuzzer target: column selection (lib/select.h)
 *
 * Input: lines; the last line is the spec (-s COLS), the lines before it
 * the column names (none: a file without columns).  The spec goes through
 * hc_select_parse and hc_select_one; every index returned must be a
 * column, and every failure must say why.
 */
#include <string.h>

#include "fuzz.h"
#include "lib/mem.h"
#include "lib/select.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_NAMES 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *names[MAX_NAMES];
	struct hc_selection sel = {0};
	struct hc_err err = {0};
	size_t ncols = 0;
	char *text, *p, *spec;
	long one;

	if (!(text = hc_malloc(size + 1)))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* Names and spec are C strings: a NUL in the input ends the text. */
	spec = p = text;
	for (char *nl; (nl = strchr(p, '\n')) && ncols < MAX_NAMES; p = nl + 1) {
		*nl = '\0';
		names[ncols++] = p;
		spec = nl + 1;
	}
	if (hc_select_parse(spec, names, ncols, &sel, &err) == 0) {
		for (size_t i = 0; i < sel.n; i++)
			FZ_CHECK(sel.idx[i] < ncols);
		if (!spec[0])
			FZ_CHECK(sel.n == ncols);
	} else {
		FZ_CHECK(err.msg[0] && err.kind != HC_ERR_NONE);
	}
	hc_selection_release(&sel);
	hc_err_clear(&err);
	one = hc_select_one(spec, names, ncols, &err);
	FZ_CHECK(one < (long)ncols);
	FZ_CHECK(one >= 0 || err.msg[0]);
	hc_free(text);
	return 0;
}
