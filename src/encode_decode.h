/* encode_decode.h - bit columns back to categories (`encode decode`)
 *
 * For each column of the state with a binary or resbit encoder whose bit
 * columns (COL_bin0.. or COL_rb0.., as encode writes them) are all in the
 * input, the output holds one column named COL_bin or COL_rb in place of
 * the first bit, holding the decoded value (__other__ for the code of rare
 * and unseen values); every other column passes through.  Bits may be
 * real numbers: they decode to the nearest valid category (see
 * encode_codes.h), never to nothing.  A bit that is not a finite number
 * (text, empty, NaN, inf) is an error naming its place: a broken vector
 * has no nearest category.
 */
#ifndef HC_ENCODE_DECODE_H
#define HC_ENCODE_DECODE_H

#include "lib/csv_read.h"
#include "lib/err.h"
#include "lib/out.h"
#include "src/encode_state.h"

/* Decodes every row of csv to out as CSV.  An input with no complete bit
 * group is an error.  0, or -1 with err set. */
int hc_enc_decode(const struct hc_enc_state *st, struct hc_csv_reader *csv,
		  struct hc_out *out, struct hc_err *err);

#endif
