#include "vendorc/report.h"

#include "vendorc/arena.h"
#include "vendorc/ir.h"
#include "vendorc/json.h"
#include "vendorc/when.h"

#include <string.h>

enum expiry_state { EXPIRY_EXPIRED, EXPIRY_SOON, EXPIRY_ACTIVE, EXPIRY_NEVER };

static const char *const state_names[] = {
	[EXPIRY_EXPIRED] = "expired", [EXPIRY_SOON] = "expiring",
	[EXPIRY_ACTIVE] = "active", [EXPIRY_NEVER] = "never",
};

static enum expiry_state
expiry_state(const struct ir_vendor *vendor, int64_t now, int64_t within)
{
	if (vendor->never_expires)
		return EXPIRY_NEVER;
	if (vendor->expired)
		return EXPIRY_EXPIRED;
	return ir_vendor_ends_within(vendor, now, within) ? EXPIRY_SOON : EXPIRY_ACTIVE;
}

static const char *
when_text(struct arena *arena, const struct ir_vendor *vendor, int64_t now)
{
	if (vendor->never_expires)
		return "never";
	if (vendor->expired)
		return arena_printf(arena, "%s ago", when_format_duration(arena, now - vendor->ends_at));
	return arena_printf(arena, "in %s", when_format_time_left(arena, vendor->ends_at - now));
}

/* The last review as written; "never": the auditor's list of access that
 * was never reviewed. */
static const char *
reviewed_text(const struct ir_vendor *vendor)
{
	return vendor->reviewed ? vendor->reviewed : "never";
}

static const char *
review_due_text(struct arena *arena, const struct ir_vendor *vendor, int64_t now)
{
	const char *due = ir_vendor_review_due_text(arena, vendor, now);
	return due ? due : "-";
}

static int
widest(int width, const char *text)
{
	int len = (int)strlen(text);
	return len > width ? len : width;
}

static void
print_text(FILE *out, struct arena *arena, const struct vec *vendors, int64_t now, int64_t within)
{
	int name_width = 6, reviewed_width = 8, due_width = 10;
	for (size_t i = 0; i < vendors->len; i++) {
		const struct ir_vendor *vendor = vec_at(vendors, i);
		name_width = widest(name_width, vendor->name);
		reviewed_width = widest(reviewed_width, reviewed_text(vendor));
		due_width = widest(due_width, review_due_text(arena, vendor, now));
	}
	fprintf(out, "%-*s  %-8s  %-20s  %-16s  %-*s  %-*s  %s\n", name_width, "VENDOR", "STATE",
		"ACCESS ENDS", "WHEN", reviewed_width, "REVIEWED", due_width, "REVIEW DUE", "OWNER / TICKET");
	for (size_t i = 0; i < vendors->len; i++) {
		const struct ir_vendor *vendor = vec_at(vendors, i);
		fprintf(out, "%-*s  %-8s  %-20s  %-16s  %-*s  %-*s  %s%s%s\n", name_width, vendor->name,
			state_names[expiry_state(vendor, now, within)],
			vendor->never_expires ? "never" : when_format(arena, vendor->ends_at),
			when_text(arena, vendor, now), reviewed_width, reviewed_text(vendor),
			due_width, review_due_text(arena, vendor, now), vendor->owner ? vendor->owner : "-",
			vendor->ticket ? " / " : "", vendor->ticket ? vendor->ticket : "");
	}
}

static void
print_json_vendor(FILE *out, struct arena *arena, const struct ir_vendor *vendor, int64_t now,
	int64_t within)
{
	fputs("{\"name\":", out);
	json_string(out, vendor->name);
	fprintf(out, ",\"state\":\"%s\",\"expires\":", state_names[expiry_state(vendor, now, within)]);
	json_string(out, vendor->expires);
	fputs(",\"access_ends\":", out);
	json_string(out, vendor->never_expires ? NULL : when_format(arena, vendor->ends_at));
	fputs(",\"owner\":", out);
	json_string(out, vendor->owner);
	fputs(",\"ticket\":", out);
	json_string(out, vendor->ticket);
	fputs(",\"justification\":", out);
	json_string(out, vendor->justification);
	fputs(",\"reviewed\":", out);
	json_string(out, vendor->reviewed);
	fputs(",\"review_due\":", out);
	json_string(out, vendor->reviewed ? when_format(arena, vendor->review_due) : NULL);
	fprintf(out, ",\"review_overdue\":%s,\"source\":",
		ir_vendor_review_overdue(vendor, now) ? "true" : "false");
	json_string(out, vendor->source);
	fputc('}', out);
}

static void
print_json(FILE *out, struct arena *arena, const struct vec *vendors, int64_t now, int64_t within)
{
	fputs("{\"now\":", out);
	json_string(out, when_format(arena, now));
	fputs(",\"vendors\":[", out);
	for (size_t i = 0; i < vendors->len; i++) {
		fputs(i ? "," : "", out);
		print_json_vendor(out, arena, vec_at(vendors, i), now, within);
	}
	fputs("]}\n", out);
}

bool
report_expiring(FILE *out, struct arena *arena, const struct vec *vendors, int64_t now,
	int64_t within, enum report_format format)
{
	if (format == REPORT_JSON)
		print_json(out, arena, vendors, now, within);
	else
		print_text(out, arena, vendors, now, within);
	bool attention = false;
	for (size_t i = 0; i < vendors->len; i++) {
		enum expiry_state state = expiry_state(vec_at(vendors, i), now, within);
		attention |= state == EXPIRY_EXPIRED || state == EXPIRY_SOON;
	}
	return attention;
}
