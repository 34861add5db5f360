/* err.c - filling and prefixing error messages; see err.h */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int hc_err_set(struct hc_err *err, enum hc_err_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->kind = kind;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int hc_err_errno(struct hc_err *err, enum hc_err_kind kind, int errnum,
		 const char *fmt, ...)
{
	va_list ap;
	size_t used;

	if (!err)
		return -1;
	err->kind = kind;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	used = strlen(err->msg);
	snprintf(err->msg + used, sizeof(err->msg) - used, ": %s",
		 strerror(errnum));
	return -1;
}

int hc_err_nomem(struct hc_err *err)
{
	return hc_err_set(err, HC_ERR_NOMEM, "out of memory");
}

void hc_err_prefix(struct hc_err *err, const char *fmt, ...)
{
	char old[HC_ERR_MSG_MAX];
	size_t used;
	va_list ap;

	/* Running out of memory is not the file's or the column's fault:
	 * no position in front of it. */
	if (!err || err->kind == HC_ERR_NOMEM)
		return;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	used = strlen(err->msg);
	snprintf(err->msg + used, sizeof(err->msg) - used, ": %s", old);
}

void hc_err_clear(struct hc_err *err)
{
	err->kind = HC_ERR_NONE;
	err->msg[0] = '\0';
}

int hc_err_exit_status(const struct hc_err *err)
{
	switch (err->kind) {
	case HC_ERR_NONE:
	case HC_ERR_PIPE:
		return HC_EXIT_OK;
	case HC_ERR_USAGE:
		return HC_EXIT_USAGE;
	default:
		return HC_EXIT_FAIL;
	}
}
