/* `vendorc probe --results FILE`: what the kit's probes saw, case by case,
 * against the verdicts the evaluator expects (docs/probe.md, "Reading the
 * results"). Two formats, told apart by the first line:
 *
 *   the Jobs'        vendorc-probe case-N EXIT [REASON]
 *                    (one line per container, as the kubectl command of
 *                    docs/probe.md prints them; other lines are ignored)
 *   NetAssert's TAP  TAP version 14 / 1..N / ok I - vendorc-probe-case-N-...
 *                    / not ok I - ... (its YAML blocks are ignored)
 *
 * A Job's container exits 0 when it connected; otherwise agnhost says why:
 * TIMEOUT, REFUSED and OTHER are a blocked connection, DNS an unresolved
 * name, which only the lookup case can read (a "no such host" answer means
 * the resolver let the name through), anything else is inconclusive. */

#include "vendorc/kit.h"

#include "vendorc/diag.h"
#include "vendorc/limits.h"
#include "vendorc/source.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const outcome_names[] = {
	[KIT_MISSING] = "no result", [KIT_CONNECTED] = "connected", [KIT_BLOCKED] = "blocked",
	[KIT_INCONCLUSIVE] = "inconclusive",
};

struct reader {
	struct arena *arena;
	struct diag_set *diags;
	const struct source *src;
	const struct kit *kit;
	struct kit_outcome *outcomes;
};

static void
bad_line(struct reader *r, uint32_t line, size_t len, const char *why)
{
	struct loc at = { r->src, line, 1, line, 1 + (uint32_t)(len ? len : 1) };
	diag_hint(diag_report(r->diags, DIAG_PROBE_RESULTS, &at, "%s", why),
		"the lines docs/probe.md's kubectl command prints, or NetAssert's results.tap");
}

/* The case a number names, or NULL. */
static struct kit_outcome *
outcome_of(struct reader *r, const char *digits)
{
	char *end;
	errno = 0;
	unsigned long number = strtoul(digits, &end, 10);
	if (errno || end == digits || number < 1 || number > r->kit->cases.len)
		return NULL;
	return &r->outcomes[number - 1];
}

static enum kit_result
job_result(const struct kit_case *c, int exit_code, const char *reason)
{
	if (exit_code == 0)
		return KIT_CONNECTED;
	if (!strncmp(reason, "TIMEOUT", 7) || !strncmp(reason, "REFUSED", 7) || !strncmp(reason, "OTHER", 5))
		return KIT_BLOCKED;
	if (!strncmp(reason, "DNS", 3) && c->lookup)
		return strstr(reason, "no such host") ? KIT_CONNECTED : KIT_BLOCKED;
	return KIT_INCONCLUSIVE;
}

/* "vendorc-probe case-N EXIT [REASON]" */
static void
job_line(struct reader *r, uint32_t line, const char *text, size_t len)
{
	if (len < 14 || strncmp(text, "vendorc-probe ", 14) != 0)
		return;
	char *copy = arena_strndup(r->arena, text, len), *save = NULL;
	strtok_r(copy, " ", &save);
	const char *name = strtok_r(NULL, " ", &save), *status = strtok_r(NULL, " ", &save);
	const char *reason = save ? save : "";
	struct kit_outcome *o = name && !strncmp(name, "case-", 5) ? outcome_of(r, name + 5) : NULL;
	if (!o || !status || (strcmp(status, "0") != 0 && strcmp(status, "1") != 0)) {
		bad_line(r, line, len, !o ? "not a case of this kit: vendorc-probe case-N EXIT [REASON]"
			: "a container that has not finished (no exit status 0 or 1)");
		return;
	}
	const struct kit_case *c = vec_at(&r->kit->cases, (size_t)(o - r->outcomes));
	o->result = job_result(c, atoi(status), reason);
	o->detail = *reason ? reason : NULL;
}

/* "ok I - NAME" or "not ok I - NAME": whether the test met its exit code,
 * so the connection did what the case expects, or the opposite. */
static void
tap_line(struct reader *r, uint32_t line, const char *text, size_t len)
{
	bool ok = len >= 3 && !strncmp(text, "ok ", 3), not_ok = len >= 7 && !strncmp(text, "not ok ", 7);
	if (!ok && !not_ok)
		return;
	char *copy = arena_strndup(r->arena, text, len);
	const char *name = strstr(copy, " - vendorc-probe-case-");
	struct kit_outcome *o = name ? outcome_of(r, name + strlen(" - vendorc-probe-case-")) : NULL;
	if (!o) {
		bad_line(r, line, len, "not a test of this kit: ok I - vendorc-probe-case-N-...");
		return;
	}
	const struct kit_case *c = vec_at(&r->kit->cases, (size_t)(o - r->outcomes));
	o->result = ok == c->expect_allowed ? KIT_CONNECTED : KIT_BLOCKED;
}

bool
kit_read_results(struct arena *arena, struct diag_set *diags, const char *path, const struct kit *kit,
	struct kit_outcome **out, enum kit_emit *how)
{
	bool missing;
	struct source *src = source_read(arena, diags, path, path, LIMIT_LOCK_FILE_SIZE, NULL, &missing);
	if (missing)
		diag_report(diags, DIAG_IO_ERROR, NULL, "cannot read \"%s\": %s", path, strerror(ENOENT));
	return src && kit_parse_results(arena, diags, src, kit, out, how);
}

bool
kit_parse_results(struct arena *arena, struct diag_set *diags, const struct source *src, const struct kit *kit,
	struct kit_outcome **out, enum kit_emit *how)
{
	struct reader r = { arena, diags, src, kit, arena_array(arena, kit->cases.len + 1, sizeof(*r.outcomes)) };
	size_t first_len = 0;
	const char *first = src->line_count ? source_line(src, 1, &first_len) : NULL;
	bool tap = first && first_len >= 11 && !strncmp(first, "TAP version", 11);
	for (uint32_t line = 1; line <= src->line_count; line++) {
		size_t len;
		const char *text = source_line(src, line, &len);
		(tap ? tap_line : job_line)(&r, line, text, len);
	}
	*out = r.outcomes;
	*how = tap ? KIT_EMIT_NETASSERT : KIT_EMIT_JOBS;
	return !diag_has_errors(diags);
}

static bool
expected(const struct kit_case *c, const struct kit_outcome *o)
{
	return o->result == (c->expect_allowed ? KIT_CONNECTED : KIT_BLOCKED);
}

bool
kit_print_results(FILE *out, const struct kit *kit, const struct kit_outcome *outcomes, enum kit_emit how)
{
	size_t good = 0, bad = 0, skipped = 0;
	for (size_t i = 0; i < kit->cases.len; i++) {
		const struct kit_case *c = vec_at(&kit->cases, i);
		const struct kit_outcome *o = &outcomes[i];
		if (kit_unprobed(c, how) && o->result == KIT_MISSING) {
			skipped++;
			continue;
		}
		bool fine = expected(c, o);
		good += fine;
		bad += !fine;
		fprintf(out, "%s case %zu %s %s: expected %s, %s%s%s\n  %s: %s\n", fine ? "expected  " : "UNEXPECTED",
			c->number, c->vendor, kit_kind_name(c->kind), c->expect_allowed ? "to connect" : "to be blocked",
			outcome_names[o->result], o->detail ? ": " : "", o->detail ? o->detail : "", c->source, c->statement);
	}
	fprintf(out, "%zu expected, %zu unexpected, %zu not probed by this kit\n", good, bad, skipped);
	return bad == 0;
}
