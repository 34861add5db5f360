/* fuzz_tables.c - libFuzzer target: the files `hicard hash` reads beside
 * its input: a counts file (--counts, src/hash_table.h hc_counts_read) and
 * a cluster map (--map, hc_map_read)
 *
 * Input: one option byte, then the CSV text, read from a memory file.
 * Bit 0 picks the reader (clear: counts, set: map); bit 1 asks for one
 * column ("user"), else two ("user", "item").  A table that reads is
 * checked: every count of a counts file in 1 .. HC_COUNT_MAX (repeated
 * values add up, saturating), every cluster id of a
 * map below its column's k, and every value found again by its bytes.
 */
#include <string.h>

#include "fuzz.h"
#include "lib/csv_read.h"
#include "lib/strmap.h"
#include "src/hash_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_map(const struct hc_strmap *m, uint64_t below)
{
	for (size_t id = 0; id < hc_strmap_count(m); id++) {
		size_t len;
		const char *key = hc_strmap_key(m, id, &len);
		FZ_CHECK(*hc_strmap_valuep(m, id) < below);
		FZ_CHECK(hc_strmap_find(m, key, len) == (int64_t)id);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[2] = {"user", "item"};
	struct hc_csv_opts o = {.delim = ','};
	struct hc_err err = {0};
	struct hc_csv_reader *csv;
	struct fz_input in;
	size_t n;
	uint8_t opt;

	if (size < 1)
		return 0;
	opt = data[0];
	n = (opt & 2) ? 1 : 2;
	if (fz_memfile(&in, data + 1, size - 1))
		return 0;
	csv = hc_csv_open(in.path, &o, &err);
	if (!csv) {
		FZ_CHECK(err.msg[0]);
		fz_done(&in);
		return 0;
	}
	if (opt & 1) {
		struct hc_strmap clusters[2];
		uint64_t k[2] = {0, 0};
		if (hc_map_read(csv, names, n, clusters, k, &err) == 0) {
			for (size_t j = 0; j < n; j++) {
				check_map(&clusters[j], k[j]);
				hc_strmap_release(&clusters[j]);
			}
		} else {
			FZ_CHECK(err.msg[0]);
		}
	} else {
		struct hc_counts c;
		if (hc_counts_init(&c, n, &err) == 0) {
			if (hc_counts_read(&c, csv, names, &err) == 0) {
				for (size_t j = 0; j < n; j++)
					for (size_t id = 0; id < hc_strmap_count(&c.maps[j]); id++)
						FZ_CHECK(*hc_strmap_valuep(&c.maps[j], id) >= 1 &&
							 *hc_strmap_valuep(&c.maps[j], id) <= HC_COUNT_MAX);
			} else {
				FZ_CHECK(err.msg[0]);
			}
			hc_counts_release(&c);
		}
	}
	hc_csv_close(csv);
	fz_done(&in);
	return 0;
}
