/* select.h - column selection: -s/--select in the qsv/xsv spelling
 *
 * A selection is a comma-separated list of items, each one of:
 *   NAME        a column by its header name (an exact name always wins)
 *   N           a 1-based column index
 *   A-B         a range of columns, by index or name ("2-5", "a-c");
 *               "3-" runs to the last column, "-3" from the first
 *   !ITEM       excludes what ITEM selects
 * Items select in the order given (duplicates allowed); if every item is
 * an exclusion, the selection starts from all columns.  An empty spec
 * selects all columns.
 */
#ifndef HC_SELECT_H
#define HC_SELECT_H

#include <stddef.h>

#include "err.h"

struct hc_selection {
	size_t n;
	size_t *idx; /* 0-based column indices, in output order */
};

/* Resolves spec against ncols names.  0, or -1 with err set (HC_ERR_USAGE
 * for an unknown column, listing the available ones). */
int hc_select_parse(const char *spec, const char *const *names,
		    size_t ncols, struct hc_selection *sel,
		    struct hc_err *err);
/* Index of the column named (or numbered) by one item, or -1 with err set;
 * for options that take a single column such as --label. */
long hc_select_one(const char *item, const char *const *names, size_t ncols,
		   struct hc_err *err);
void hc_selection_release(struct hc_selection *sel);

#endif
