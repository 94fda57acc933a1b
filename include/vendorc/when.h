#ifndef VENDORC_WHEN_H
#define VENDORC_WHEN_H

/* Instants as seconds since the Unix epoch (UTC), and the date forms of
 * SPEC section 1: DATE (YYYY-MM-DD) and RFC 3339 DATETIME. */

#include <stdbool.h>
#include <stdint.h>

struct arena;

/* "2027-03-31" -> 00:00:00Z that day. */
bool when_parse_date(const char *text, int64_t *out);
/* RFC 3339 with Z or an offset, lower-case t and z allowed; a fraction of a
 * second rounds up to the next whole second. */
bool when_parse_datetime(const char *text, int64_t *out);
/* DATE or DATETIME; *is_date tells which. */
bool when_parse_instant(const char *text, int64_t *out, bool *is_date);
/* "14d", "36h", "2w", "90m", "30s": a positive count and a unit. */
bool when_parse_duration(const char *text, int64_t *out);

/* "2027-04-01T00:00:00Z" */
const char *when_format(struct arena *arena, int64_t instant);
/* "3 days", "5 hours": whole units, for messages. */
const char *when_format_duration(struct arena *arena, int64_t seconds);

enum { WHEN_DAY = 86400 };

#endif
