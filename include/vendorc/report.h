#ifndef VENDORC_REPORT_H
#define VENDORC_REPORT_H

/* What the auditing commands print on standard output, as text for people
 * or as JSON for pipelines. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct arena;
struct vec;

enum report_format { REPORT_TEXT, REPORT_JSON };

/* `vendorc expiring`: vendors (struct ir_vendor *, soonest first) with
 * their state at now. Returns whether any has expired or ends within
 * `within`, which is what a scheduled pipeline wants to know. */
bool report_expiring(FILE *out, struct arena *arena, const struct vec *vendors, int64_t now,
	int64_t within, enum report_format format);

#endif
