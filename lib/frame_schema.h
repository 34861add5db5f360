/* frame_schema.h - internal: parsing a frame header (see frame.h)
 *
 * Shared by the frame reader and anything that reads a schema from JSON
 * (model files carry their frame's schema).
 */
#ifndef HC_FRAME_SCHEMA_H
#define HC_FRAME_SCHEMA_H

#include "frame.h"

/* Parses and checks header text into s (which must be unused).  0, or -1
 * with err set (HC_ERR_DATA, "header: ..."). */
int hc_frame_schema_from_json(struct hc_frame_schema *s, const char *text,
			      size_t len, struct hc_err *err);

#endif
