/* frame.h - the binary frame (.hcb): model-ready rows between subcommands
 *
 * A frame carries rows from hash/encode to train/predict.  It is
 * self-describing (a JSON header names every column, its kind, its id
 * space and how it was made), versioned, little-endian, written and read
 * front to back (so it streams through a pipe), and checksummed per block
 * so that a truncated or corrupted file is reported, never misread.
 *
 * Layout, version 1 (every integer little-endian; the full specification
 * with the header's keys is man/hicard-frame.5):
 *
 *   preamble   8  magic  89 48 43 42 0D 0A 1A 0A  ("\x89HCB\r\n\x1a\n")
 *              4  version (1)
 *              4  header length H (at most HC_FRAME_HEADER_MAX)
 *              H  header: JSON text
 *              4  CRC-32C of the H header bytes
 *   block *    4  tag "HCBK"
 *              4  rows R (1 .. HC_FRAME_BLOCK_ROWS_MAX; 0 = end block)
 *              4  payload length P (at most HC_FRAME_PAYLOAD_MAX)
 *              4  CRC-32C of the P payload bytes
 *              P  payload: the R rows column by column, in header order:
 *                   fixed arity k: R*k values of 4 bytes
 *                   variable arity: R counts (u32), then their sum of ids
 *                 cat values are u32 ids below the column's space; label,
 *                 weight and num values are IEEE-754 binary32; key values
 *                 are u64 (8 bytes a row)
 *   end block  tag "HCBK", R = 0, P = 16, payload: rows in all (u64),
 *              data blocks in all (u64); nothing may follow it
 *
 * Ownership: a schema owns its column names and its cJSON document; a
 * writer or reader copies or owns what it needs.  Big-endian hosts are
 * refused at compile time (the reader maps payloads without byte swaps).
 */
#ifndef HC_FRAME_H
#define HC_FRAME_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "in.h"
#include "out.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "hicard frames are little-endian and read without byte swaps"
#endif

#define HC_FRAME_VERSION 1
#define HC_FRAME_MAGIC "\x89HCB\r\n\x1a\n"
/* Limits: generous for real schemas, small enough that a corrupted length
 * cannot make the reader allocate more than this. */
#define HC_FRAME_HEADER_MAX ((uint32_t)16 << 20)
#define HC_FRAME_PAYLOAD_MAX ((uint32_t)256 << 20)
#define HC_FRAME_BLOCK_ROWS_MAX ((uint32_t)1 << 20)
#define HC_FRAME_MAX_COLS 65536
/* Id spaces are at most 2^32 (ids are u32). */
#define HC_FRAME_SPACE_MAX ((uint64_t)1 << 32)

enum hc_frame_kind {
	HC_KIND_LABEL, /* the target; at most one column */
	HC_KIND_WEIGHT, /* a row weight; at most one column */
	HC_KIND_CAT,   /* categorical ids in [0, space) */
	HC_KIND_NUM,   /* a numeric value */
	HC_KIND_KEY,   /* an identity, not a feature: one u64 per row */
};

#define HC_ARITY_VAR 0 /* a variable number of ids per row */

struct hc_frame_col {
	char *name;
	enum hc_frame_kind kind;
	uint32_t arity;   /* values per row, or HC_ARITY_VAR (cat only) */
	uint64_t space;   /* cat: ids are below it; 0 for other kinds */
};

struct hc_frame_schema {
	size_t ncols;
	struct hc_frame_col *cols;
	cJSON *doc; /* the header document, with any extra keys */
};

const char *hc_frame_kind_name(enum hc_frame_kind k);

/* Starts an empty schema.  0, or -1 (out of memory). */
int hc_frame_schema_init(struct hc_frame_schema *s, struct hc_err *err);
/* Adds a column; returns its JSON object, for extra keys such as "scheme"
 * and "seed", or NULL with err set (bad kind/arity/space, a second label,
 * out of memory). */
cJSON *hc_frame_schema_add(struct hc_frame_schema *s, const char *name,
			   enum hc_frame_kind kind, uint32_t arity,
			   uint64_t space, struct hc_err *err);
/* Records which hicard and which command line made the frame. */
int hc_frame_schema_set_producer(struct hc_frame_schema *s, int argc,
				 char *const *argv, struct hc_err *err);
/* The "table" a cat column's ids index: columns with the same table name
 * share one embedding table (and one id space); NULL when the column has
 * a table of its own. */
const char *hc_frame_col_table(const struct hc_frame_schema *s, size_t col);
/* Index of the column of that kind (label, weight), or -1. */
long hc_frame_schema_find_kind(const struct hc_frame_schema *s,
			       enum hc_frame_kind kind);
void hc_frame_schema_release(struct hc_frame_schema *s);

/* ---- writing ---------------------------------------------------------- */

struct hc_frame_writer;

/* Writes the preamble and header to out (which the caller keeps and
 * closes after hc_frame_writer_close).  NULL with err set on failure. */
struct hc_frame_writer *hc_frame_writer_open(struct hc_out *out,
					     const struct hc_frame_schema *s,
					     struct hc_err *err);
/* Sets column col of the current row: n ids (n == arity unless variable). */
int hc_frame_put_ids(struct hc_frame_writer *w, size_t col,
		     const uint32_t *ids, size_t n, struct hc_err *err);
/* Sets a label, weight or num column of the current row. */
int hc_frame_put_num(struct hc_frame_writer *w, size_t col, float v,
		     struct hc_err *err);
/* Sets a key column of the current row. */
int hc_frame_put_key(struct hc_frame_writer *w, size_t col, uint64_t key,
		     struct hc_err *err);
/* Ends the row: every column must have been set once. */
int hc_frame_end_row(struct hc_frame_writer *w, struct hc_err *err);
/* Appends every row of b, whose column views follow the writer's schema
 * (as a reader's block does): the same frame as putting each row, faster.
 * No row may be half set. */
struct hc_frame_block;
int hc_frame_put_block(struct hc_frame_writer *w,
		       const struct hc_frame_block *b, struct hc_err *err);
/* Writes the last block and the end block, frees w (in every case).  The
 * caller then closes out. */
int hc_frame_writer_close(struct hc_frame_writer *w, struct hc_err *err);
/* Frees w without finishing the frame. */
void hc_frame_writer_abort(struct hc_frame_writer *w);

/* ---- reading ---------------------------------------------------------- */

/* One column of a block.  Fixed arity k: row i's values are at i*k.
 * Variable: row i's ids are ids[start[i] .. start[i+1]). */
struct hc_frame_colview {
	const uint32_t *ids;   /* cat */
	const float *num;      /* label, weight, num */
	const uint32_t *start; /* variable arity: nrows + 1 offsets */
	const uint64_t *keys;  /* key */
};

struct hc_frame_block {
	size_t nrows;
	uint64_t index;      /* 0-based block number */
	uint64_t first_row;  /* 0-based row number of its first row */
	struct hc_frame_colview *cols;
};

struct hc_frame_reader;

/* Reads and checks the preamble and header from in (which the caller
 * keeps).  NULL with err set ("FILE: ..."). */
struct hc_frame_reader *hc_frame_reader_open(struct hc_in *in,
					     struct hc_err *err);
const struct hc_frame_schema *hc_frame_reader_schema(
	const struct hc_frame_reader *r);
/* The header exactly as stored. */
const char *hc_frame_reader_header_text(const struct hc_frame_reader *r);
/* Next block, checked (checksum, lengths, ids within their spaces): 1,
 * 0 after a valid end block, -1 with err set.  The block's memory is valid
 * until the next call. */
int hc_frame_read_block(struct hc_frame_reader *r,
			const struct hc_frame_block **b, struct hc_err *err);
/* The data block at byte offset (of a regular file: the in's pos before
 * an earlier hc_frame_read_block returned it), numbered index (0-based),
 * its first row first_row: as hc_frame_read_block, but in any order.  1,
 * or -1 with err set (an end block or the end of the file there too). */
int hc_frame_read_block_at(struct hc_frame_reader *r, uint64_t offset,
			   uint64_t index, uint64_t first_row,
			   const struct hc_frame_block **b, struct hc_err *err);
void hc_frame_reader_close(struct hc_frame_reader *r);

/* Ids of row i of column c of a block; *n gets their count. */
static inline const uint32_t *hc_frame_row_ids(const struct hc_frame_block *b,
					       const struct hc_frame_col *c,
					       size_t col, size_t i, size_t *n)
{
	const struct hc_frame_colview *v = &b->cols[col];

	if (c->arity == HC_ARITY_VAR) {
		*n = v->start[i + 1] - v->start[i];
		return v->ids + v->start[i];
	}
	*n = c->arity;
	return v->ids + i * c->arity;
}

#endif
