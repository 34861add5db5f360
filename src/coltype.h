/* coltype.h - what type a text value has: the first step of profiling
 *
 * Types, most specific first: integer, float, boolean, date, datetime,
 * string.  A value is:
 *   integer   [+-]?[0-9]+ (at most 18 digits, so it fits an int64 exactly)
 *   float     [+-]?([0-9]+.?[0-9]*|.[0-9]+)([eE][+-]?[0-9]+)? but not an
 *             integer; nan and inf are not numbers here (they are null
 *             tokens or strings)
 *   boolean   true or false, in any case
 *   date      YYYY-MM-DD (ISO 8601 calendar date, month 01-12, day 01-31)
 *   datetime  a date, 'T' or ' ', HH:MM[:SS[.fraction]], then optionally
 *             Z or +HH:MM / -HH:MM
 *   string    anything else
 * Integers are floats too, and dates are datetimes too, when a column's
 * type is inferred (src/profile.c).
 */
#ifndef HC_COLTYPE_H
#define HC_COLTYPE_H

#include <stddef.h>

enum hc_coltype {
	HC_TYPE_INT,
	HC_TYPE_FLOAT,
	HC_TYPE_BOOL,
	HC_TYPE_DATE,
	HC_TYPE_DATETIME,
	HC_TYPE_STRING,
	HC_TYPE_COUNT,
	HC_TYPE_EMPTY = HC_TYPE_COUNT, /* a column with no non-null value */
};

const char *hc_coltype_name(enum hc_coltype t);

/* The type of s[0..len); for integer and float, *num gets the value. */
enum hc_coltype hc_coltype_of(const char *s, size_t len, double *num);

#endif
