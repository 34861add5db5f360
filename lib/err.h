/* err.h - error values and messages passed from lib/ and src/ up to cmd/
 *
 * lib/ and src/ never print and never exit.  A failing function fills a
 * caller-supplied struct hc_err and returns -1 (or NULL); cmd/ prints
 * "hicard SUBCOMMAND: <msg>" and exits with hc_err_exit_status().
 *
 * Messages follow git's style: lower case, what is wrong first, the subject
 * quoted, no full stop, and "FILE:LINE: " in front when a position is known.
 */
#ifndef HC_ERR_H
#define HC_ERR_H

#include <stdint.h>

/* Exit statuses, fixed by the design card. */
enum hc_exit {
	HC_EXIT_OK = 0,
	HC_EXIT_FAIL = 1,  /* bad data or a run-time failure */
	HC_EXIT_USAGE = 2, /* bad usage */
};

enum hc_err_kind {
	HC_ERR_NONE = 0,
	HC_ERR_DATA,   /* the input is malformed: exit 1 */
	HC_ERR_IO,     /* a read, write, open or rename failed: exit 1 */
	HC_ERR_NOMEM,  /* an allocation failed: exit 1 */
	HC_ERR_USAGE,  /* the options are wrong: exit 2 */
	HC_ERR_PIPE,   /* the reader of stdout went away: exit 0, silently */
};

#define HC_ERR_MSG_MAX 1024

struct hc_err {
	enum hc_err_kind kind;
	char msg[HC_ERR_MSG_MAX];
};

/* Sets kind and a printf-formatted message; returns -1 so that callers can
 * write `return hc_err_set(err, ...)`.  err may be NULL. */
int hc_err_set(struct hc_err *err, enum hc_err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* As hc_err_set, with ": <strerror(errnum)>" appended. */
int hc_err_errno(struct hc_err *err, enum hc_err_kind kind, int errnum,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Shorthand for the message every failed allocation gives. */
int hc_err_nomem(struct hc_err *err);

/* Puts "PREFIX: " in front of the current message (for adding a file name
 * or a column once the caller knows it). */
void hc_err_prefix(struct hc_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void hc_err_clear(struct hc_err *err);

/* The exit status that fits err->kind. */
int hc_err_exit_status(const struct hc_err *err);

#endif
