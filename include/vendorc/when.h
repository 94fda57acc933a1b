#ifndef VENDORC_WHEN_H
#define VENDORC_WHEN_H

/* Instants as nanoseconds since the Unix epoch (UTC), and the date forms of
 * docs/semantics.md section 1: DATE (YYYY-MM-DD) and RFC 3339 DATETIME. Nanoseconds, so
 * that "expired when now >= end" holds for fractional seconds too; an
 * instant past what int64 holds (about the year 2262) saturates, which for
 * an expiry means never in practice. */

#include <stdbool.h>
#include <stdint.h>

struct arena;

#define WHEN_SECOND INT64_C(1000000000)
#define WHEN_DAY (86400 * WHEN_SECOND)

/* "2027-03-31" -> 00:00:00Z that day. */
bool when_parse_date(const char *text, int64_t *out);
/* RFC 3339 with Z or an offset, lower-case t and z allowed; digits of a
 * fraction past nanoseconds are dropped. */
bool when_parse_datetime(const char *text, int64_t *out);
/* DATE or DATETIME; *is_date tells which. */
bool when_parse_instant(const char *text, int64_t *out, bool *is_date);
/* The instant access ends for an expiry as written in a vendor file: a
 * DATE ends at 00:00:00Z the day after it, a DATETIME at itself, "never"
 * never (INT64_MAX). */
bool when_access_end(const char *expires, int64_t *out);
/* "14d", "36h", "2w", "90m", "30s": a positive whole number and a unit. */
bool when_parse_duration(const char *text, int64_t *out);

/* a + b, held at INT64_MIN or INT64_MAX instead of overflowing. */
int64_t when_add(int64_t a, int64_t b);
/* a - b, the same way: the time between two instants. */
int64_t when_sub(int64_t a, int64_t b);
/* Seconds to an instant, saturating (SOURCE_DATE_EPOCH, the clock). */
int64_t when_from_seconds(int64_t seconds);

/* "2027-04-01T00:00:00Z", with a fraction only when there is one. */
const char *when_format(struct arena *arena, int64_t instant);
/* Its date alone, "2027-03-31": expiry and review as a new file writes them. */
const char *when_format_date(struct arena *arena, int64_t instant);
/* "3 days", "5 hours": whole units, rounded down, for time gone by. */
const char *when_format_duration(struct arena *arena, int64_t duration);
/* The same rounded up, for time left: 30 days and a second is "31 days",
 * so "in 30 days" agrees with --within 30d and expiry-warning 30d. */
const char *when_format_time_left(struct arena *arena, int64_t duration);
/* An interval of whole seconds exactly, in the largest unit it is a whole
 * number of: "180 days", "36 hours" (not "1 day"). */
const char *when_format_interval(struct arena *arena, int64_t interval);

#endif
