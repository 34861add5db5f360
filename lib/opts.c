/* opts.c - option table parsing and --help generation; see opts.h */
#include "opts.h"

#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "strdist.h"

static const struct hc_opt *find_long(const struct hc_opt *opts,
				      const char *name, size_t len)
{
	for (const struct hc_opt *o = opts; o->type; o++)
		if (o->long_name && strlen(o->long_name) == len &&
		    strncmp(o->long_name, name, len) == 0)
			return o;
	return NULL;
}

static const struct hc_opt *find_short(const struct hc_opt *opts, int c)
{
	for (const struct hc_opt *o = opts; o->type; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

static void opt_name(const struct hc_opt *o, int as_short, char *buf,
		     size_t cap)
{
	if (as_short || !o->long_name)
		snprintf(buf, cap, "-%c", o->short_name);
	else
		snprintf(buf, cap, "--%s", o->long_name);
}

static int set_char(const struct hc_opt *o, const char *arg, const char *nm,
		    struct hc_err *err)
{
	char c;

	if (strcmp(arg, "\\t") == 0 || strcmp(arg, "tab") == 0)
		c = '\t';
	else if (strlen(arg) == 1)
		c = arg[0];
	else
		return hc_err_set(err, HC_ERR_USAGE,
				  "option '%s' takes one character, not '%s'",
				  nm, arg);
	if (c == '"' || c == '\n' || c == '\r' || c == '\0')
		return hc_err_set(err, HC_ERR_USAGE,
				  "option '%s': '%s' cannot be a delimiter",
				  nm, arg);
	*(char *)o->value = c;
	return 0;
}

/* Stores arg into the option's value by its type. */
static int set_value(const struct hc_opt *o, const char *arg, const char *nm,
		     struct hc_err *err)
{
	uint64_t u;
	double d;

	switch (o->type) {
	case HC_OPT_T_STR:
		*(const char **)o->value = arg;
		return 0;
	case HC_OPT_T_U64:
		if (hc_parse_u64(arg, strlen(arg), UINT64_MAX, &u) != 0 ||
		    u < o->min || u > o->max)
			return hc_err_set(err, HC_ERR_USAGE,
					  "option '%s' takes a whole number from %llu to %llu, not '%s'",
					  nm, (unsigned long long)o->min,
					  (unsigned long long)o->max, arg);
		*(uint64_t *)o->value = u;
		return 0;
	case HC_OPT_T_DBL:
		if (hc_parse_double(arg, strlen(arg), &d) != 0 || !(d >= o->dmin) ||
		    !(d <= o->dmax))
			return hc_err_set(err, HC_ERR_USAGE,
					  "option '%s' takes a number from %g to %g, not '%s'",
					  nm, o->dmin, o->dmax, arg);
		*(double *)o->value = d;
		return 0;
	case HC_OPT_T_SIZE:
		if (hc_parse_size(arg, &u) != 0)
			return hc_err_set(err, HC_ERR_USAGE,
					  "option '%s' takes a size such as 512M or 2G, not '%s'",
					  nm, arg);
		*(uint64_t *)o->value = u;
		return 0;
	case HC_OPT_T_CHAR:
		return set_char(o, arg, nm, err);
	default:
		return hc_err_set(err, HC_ERR_USAGE, "option '%s': internal error",
				  nm);
	}
}

static int unknown_long(const struct hc_opt *opts, const char *name,
			size_t len, struct hc_err *err)
{
	const char *cands[256];
	char buf[128];
	size_t n = 0;
	const char *best;

	for (const struct hc_opt *o = opts; o->type && n < 256; o++)
		if (o->long_name)
			cands[n++] = o->long_name;
	snprintf(buf, sizeof(buf), "%.*s", (int)len, name);
	best = hc_closest(buf, cands, n);
	if (best)
		return hc_err_set(err, HC_ERR_USAGE,
				  "unknown option '--%s'; did you mean '--%s'?",
				  buf, best);
	return hc_err_set(err, HC_ERR_USAGE, "unknown option '--%s'", buf);
}

/* One "--name[=value]" at argv[*i]; may consume argv[*i + 1]. */
static int parse_long(const struct hc_opt *opts, int argc, char **argv,
		      int *i, struct hc_err *err)
{
	const char *name = argv[*i] + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct hc_opt *o = find_long(opts, name, len);
	char nm[128];

	if (!o)
		return unknown_long(opts, name, len, err);
	opt_name(o, 0, nm, sizeof(nm));
	if (o->type == HC_OPT_T_FLAG) {
		if (eq)
			return hc_err_set(err, HC_ERR_USAGE,
					  "option '%s' takes no value", nm);
		*(int *)o->value = 1;
		return 0;
	}
	if (eq)
		return set_value(o, eq + 1, nm, err);
	if (*i + 1 >= argc)
		return hc_err_set(err, HC_ERR_USAGE, "option '%s' needs a value",
				  nm);
	return set_value(o, argv[++*i], nm, err);
}

/* One "-abc" or "-xVALUE" at argv[*i]; may consume argv[*i + 1]. */
static int parse_short(const struct hc_opt *opts, int argc, char **argv,
		       int *i, struct hc_err *err)
{
	for (const char *p = argv[*i] + 1; *p; p++) {
		const struct hc_opt *o = find_short(opts, *p);
		char nm[8];

		if (!o)
			return hc_err_set(err, HC_ERR_USAGE,
					  "unknown option '-%c'", *p);
		opt_name(o, 1, nm, sizeof(nm));
		if (o->type == HC_OPT_T_FLAG) {
			*(int *)o->value = 1;
			continue;
		}
		if (p[1])
			return set_value(o, p + 1, nm, err);
		if (*i + 1 >= argc)
			return hc_err_set(err, HC_ERR_USAGE,
					  "option '%s' needs a value", nm);
		return set_value(o, argv[++*i], nm, err);
	}
	return 0;
}

/* Moves argv[i] to argv[to], shifting argv[to..i-1] up by one: positional
 * arguments gather at the front in order while options keep their order
 * (and their values) behind them, as GNU getopt permutes. */
static void rotate_to(char **argv, int to, int i)
{
	char *a = argv[i];

	memmove(argv + to + 1, argv + to, (size_t)(i - to) * sizeof(*argv));
	argv[to] = a;
}

int hc_opts_parse(const struct hc_opt *opts, int argc, char **argv,
		  int *nargs, struct hc_err *err)
{
	int npos = 0, only_args = 0;

	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		int rc = 0;

		if (only_args || a[0] != '-' || a[1] == '\0') {
			rotate_to(argv, 1 + npos++, i);
			continue;
		}
		if (strcmp(a, "--") == 0)
			only_args = 1;
		else if (a[1] == '-')
			rc = parse_long(opts, argc, argv, &i, err);
		else
			rc = parse_short(opts, argc, argv, &i, err);
		if (rc != 0)
			return -1;
	}
	*nargs = npos;
	return 0;
}

/* The left column of an option in --help: "-o, --output FILE". */
static void left_column(const struct hc_opt *o, char *buf, size_t cap)
{
	int n = 0;

	if (o->short_name)
		n = snprintf(buf, cap, "-%c%s", o->short_name,
			     o->long_name ? ", " : "");
	else
		n = snprintf(buf, cap, "    ");
	if (n < 0 || (size_t)n >= cap)
		return;
	if (o->long_name)
		n += snprintf(buf + n, cap - (size_t)n, "--%s", o->long_name);
	if (o->argh && n >= 0 && (size_t)n < cap)
		snprintf(buf + n, cap - (size_t)n, " %s", o->argh);
}

int hc_opts_usage(struct hc_out *out, const char *const *usage,
		  const char *about, const struct hc_opt *opts)
{
	for (size_t i = 0; usage[i]; i++)
		hc_out_printf(out, "%s %s\n", i ? "   or:" : "usage:", usage[i]);
	if (about)
		hc_out_printf(out, "\n%s\n", about);
	for (const struct hc_opt *o = opts; o->type; o++) {
		char left[96];

		if (o->type == HC_OPT_T_GROUP) {
			hc_out_printf(out, "\n%s\n", o->help);
			continue;
		}
		left_column(o, left, sizeof(left));
		if (strlen(left) > 24)
			hc_out_printf(out, "  %s\n  %-24s  %s\n", left, "",
				      o->help);
		else
			hc_out_printf(out, "  %-24s  %s\n", left, o->help);
	}
	return hc_out_flush(out);
}

int hc_common_csv_opts(const struct hc_common *c, struct hc_csv_opts *o,
		       struct hc_err *err)
{
	if (c->tsv && c->delim && c->delim != '\t')
		return hc_err_set(err, HC_ERR_USAGE,
				  "options '-t' and '-d' name different delimiters");
	o->delim = c->tsv ? '\t' : c->delim ? c->delim : ',';
	o->no_header = c->no_header;
	return 0;
}
