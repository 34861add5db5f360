/* stream.c - a frame read a window of blocks at a time; see stream.h */
#include "stream.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/mem.h"
#include "src/rng.h"

uint64_t hc_stream_default_budget(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

	if (pages <= 0 || size <= 0)
		return (uint64_t)1 << 30;
	return (uint64_t)pages * (uint64_t)size / 2;
}

/* The file's name in front of an error that lacks it (dataset errors
 * name the row only). */
static int named(struct hc_stream *s, struct hc_err *err)
{
	const char *name = s->in->name;

	if (strncmp(err->msg, name, strlen(name)) != 0)
		hc_err_prefix(err, "%s", name);
	return -1;
}

/* Bytes block b takes in a window: its payload (the dataset's arrays
 * are about as large), 8-byte offsets where the file has 4-byte counts,
 * and 4 bytes a row for the training loop's shuffle. */
static uint64_t block_cost(const struct hc_dataset *d, uint64_t bytes,
			   uint32_t rows)
{
	uint64_t c = bytes + (uint64_t)rows * 4;

	for (size_t j = 0; j < d->schema.ncols; j++)
		if (d->schema.cols[j].arity == HC_ARITY_VAR)
			c += (uint64_t)rows * 4;
	return c;
}

static int add_index(struct hc_stream *s, size_t *cap, uint64_t offset,
		     const struct hc_frame_block *b, uint64_t bytes,
		     struct hc_err *err)
{
	void *p = s->blocks;
	struct hc_stream_block *e;

	if (hc_grow(&p, cap, s->nblocks + 1, sizeof(*s->blocks)) != 0)
		return hc_err_nomem(err);
	s->blocks = p;
	e = &s->blocks[s->nblocks++];
	e->offset = offset;
	e->first_row = b->first_row;
	e->rows = (uint32_t)b->nrows;
	e->cost = block_cost(&s->win, bytes, e->rows);
	return 0;
}

/* The first pass: every block read, checked and indexed. */
static int index_frame(struct hc_stream *s, struct hc_err *err)
{
	long lc = hc_frame_schema_find_kind(&s->win.schema, HC_KIND_LABEL);
	const struct hc_frame_block *b;
	size_t cap = 0;
	int rc;

	s->binary = 1;
	for (;;) {
		uint64_t at = s->in->pos;

		if ((rc = hc_frame_read_block(s->r, &b, err)) != 1)
			break;
		hc_dataset_clear(&s->win);
		if (hc_dataset_add_block(&s->win, b, err) != 0)
			return named(s, err);
		if (add_index(s, &cap, at, b, s->in->pos - at, err) != 0)
			return -1;
		for (size_t i = 0; lc >= 0 && s->binary && i < b->nrows; i++) {
			float y = s->win.cols[lc].num[i];
			s->binary = y == 0 || y == 1;
		}
		s->nrows += b->nrows;
	}
	hc_dataset_clear(&s->win);
	return rc < 0 ? named(s, err) : 0;
}

/* W: the most blocks that fit half the budget, at the largest block's
 * cost; the largest window's rows, for the training loop's arrays. */
static void size_window(struct hc_stream *s, uint64_t budget)
{
	uint64_t maxcost = 1;
	uint32_t maxrows = 0;

	for (size_t k = 0; k < s->nblocks; k++) {
		maxcost = s->blocks[k].cost > maxcost ? s->blocks[k].cost : maxcost;
		maxrows = s->blocks[k].rows > maxrows ? s->blocks[k].rows : maxrows;
	}
	s->window = (size_t)(budget / 2 / maxcost);
	if (s->window < 1)
		s->window = 1;
	if (s->window > s->nblocks)
		s->window = s->nblocks ? s->nblocks : 1;
	s->max_rows = s->window * (size_t)maxrows;
}

int hc_stream_open(struct hc_stream *s, const char *path, uint64_t budget,
		   struct hc_err *err)
{
	struct stat st;

	memset(s, 0, sizeof(*s));
	if (!(s->in = hc_in_open(path, err)))
		return -1;
	if (fstat(s->in->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		hc_err_set(err, HC_ERR_USAGE,
			   "%s: streaming needs a regular file (a pipe cannot be read again each epoch)",
			   s->in->name);
		goto fail;
	}
	if (!(s->r = hc_frame_reader_open(s->in, err)) ||
	    hc_dataset_init(&s->win, hc_frame_reader_header_text(s->r), err) != 0 ||
	    index_frame(s, err) != 0)
		goto fail;
	size_window(s, budget);
	if (!(s->order = hc_mallocarray(s->nblocks ? s->nblocks : 1, sizeof(*s->order)))) {
		hc_err_nomem(err);
		goto fail;
	}
	for (size_t k = 0; k < s->nblocks; k++)
		s->order[k] = (uint32_t)k;
	s->next = s->nblocks;
	return 0;
fail:
	hc_stream_close(s);
	return -1;
}

void hc_stream_shuffle(struct hc_stream *s, uint64_t seed, uint64_t epoch)
{
	uint64_t rng = seed ^ 0x5851F42D4C957F2Dull;

	rng ^= hc_splitmix64(&rng) + epoch * 0x9E3779B97F4A7C15ull;
	hc_rng_shuffled_range(s->order, s->nblocks, &rng);
	s->next = 0;
}

int hc_stream_next(struct hc_stream *s, struct hc_err *err)
{
	const struct hc_frame_block *b;

	hc_dataset_clear(&s->win);
	if (s->next >= s->nblocks)
		return 0;
	for (size_t n = 0; n < s->window && s->next < s->nblocks; n++) {
		const struct hc_stream_block *e = &s->blocks[s->order[s->next++]];
		if (hc_frame_read_block_at(s->r, e->offset, (uint64_t)(e - s->blocks),
					   e->first_row, &b, err) != 1 ||
		    hc_dataset_add_block(&s->win, b, err) != 0)
			return named(s, err);
		if (b->nrows != e->rows)
			return hc_err_set(err, HC_ERR_DATA,
					  "%s: block %zu: %zu rows where the first pass read %u (the file changed?)",
					  s->in->name, (size_t)(e - s->blocks) + 1,
					  b->nrows, e->rows);
	}
	if (hc_dataset_finish(&s->win, err) != 0)
		return -1;
	return 1;
}

/* In memory, as hc_dataset_load, but a pipe that brings more than budget
 * bytes is refused. */
static int load(struct hc_in *in, uint64_t budget, struct hc_dataset *d,
		struct hc_err *err)
{
	struct hc_frame_reader *r = hc_frame_reader_open(in, err);
	const struct hc_frame_block *b;
	int rc = -1;

	if (!r)
		return -1;
	if (hc_dataset_init(d, hc_frame_reader_header_text(r), err) != 0)
		goto done;
	while ((rc = hc_frame_read_block(r, &b, err)) == 1) {
		if ((rc = hc_dataset_add_block(d, b, err)) != 0)
			break;
		if (in->pos > budget) {
			rc = hc_err_set(err, HC_ERR_DATA,
					"%s: the frame is larger than --memory (%llu bytes) and a pipe cannot be streamed: write it to a file, or raise --memory",
					in->name, (unsigned long long)budget);
			break;
		}
	}
	if (rc == 0)
		rc = hc_dataset_finish(d, err);
	if (rc != 0 && strncmp(err->msg, in->name, strlen(in->name)) != 0)
		hc_err_prefix(err, "%s", in->name);
done:
	if (rc != 0)
		hc_dataset_release(d);
	hc_frame_reader_close(r);
	return rc;
}

int hc_stream_or_load(const char *path, uint64_t budget, int force,
		      struct hc_dataset *d, struct hc_stream *s,
		      struct hc_err *err)
{
	struct hc_in *in;
	struct stat st;
	int regular, rc;

	memset(s, 0, sizeof(*s));
	if (!(in = hc_in_open(path, err)))
		return -1;
	regular = fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode);
	if (force || (regular && (uint64_t)st.st_size > budget)) {
		hc_in_close(in);
		return hc_stream_open(s, path, budget, err) == 0 ? 1 : -1;
	}
	rc = load(in, regular ? UINT64_MAX : budget, d, err);
	hc_in_close(in);
	return rc;
}

void hc_stream_close(struct hc_stream *s)
{
	hc_dataset_release(&s->win);
	hc_frame_reader_close(s->r);
	hc_in_close(s->in);
	hc_free(s->blocks);
	hc_free(s->order);
	memset(s, 0, sizeof(*s));
}
