/* report.h - JSON report rows as CSV or as an aligned table
 *
 * Subcommands build their reports as cJSON (the --json output); the CSV
 * and terminal forms are views of the same document, picked out by key
 * paths such as "distinct.count" or "top.0.value" (a number indexes an
 * array), so the three outputs cannot disagree.  Numbers print with up to
 * 6 significant digits (whole numbers in full), null and missing keys as
 * an empty field.
 */
#ifndef HC_REPORT_H
#define HC_REPORT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "err.h"
#include "out.h"

struct hc_report_field {
	const char *header;
	const char *path;
};

/* The item at path below obj, or NULL. */
const cJSON *hc_report_get(const cJSON *obj, const char *path);

/* One CSV row per element of rows (a JSON array of objects). */
int hc_report_csv(struct hc_out *out, const cJSON *rows,
		  const struct hc_report_field *f, size_t nf,
		  struct hc_err *err);
/* The same as an aligned table, cells cut to 28 characters. */
int hc_report_table(struct hc_out *out, const cJSON *rows,
		    const struct hc_report_field *f, size_t nf,
		    struct hc_err *err);

#endif
