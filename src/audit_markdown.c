/* The report as GitHub-flavoured Markdown, for a pull-request comment or
 * a wiki page: the same sections as the HTML, the matrix as a list of its
 * cells and the timeline as a table. A comment holds at most 65,536
 * characters: a report longer than that is cut down to the summary and
 * the vendors that need attention, and says so. */

#include "vendorc/audit.h"

#include "vendorc/coverage.h"
#include "vendorc/explain.h"
#include "vendorc/history.h"
#include "vendorc/ir.h"
#include "vendorc/when.h"

#include <stdlib.h>
#include <string.h>

/* A row of the attention table is at most about 200 characters, so 250
 * of them leave the cut-down report well inside a comment. */
enum { COMMENT_LIMIT = 65536, ATTENTION_ROWS = 250 };

/* Text that renders as written inside a line or a table cell (never at
 * the start of a line, where more characters mean something): what
 * Markdown or HTML would read as markup is escaped. */
static void
md(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '<')
			fputs("&lt;", out);
		else if (*s == '>')
			fputs("&gt;", out);
		else if (*s == '&')
			fputs("&amp;", out);
		else if (strchr("\\`*_[]|~", *s))
			fprintf(out, "\\%c", *s);
		else
			fputc(*s, out);
	}
}

static void
row(FILE *out, size_t count, const char *const *cells)
{
	for (size_t i = 0; i < count; i++) {
		fputs("| ", out);
		md(out, cells[i] ? cells[i] : "none");
		fputc(' ', out);
	}
	fputs("|\n", out);
}

static void
header(FILE *out, size_t count, const char *const *cells)
{
	row(out, count, cells);
	for (size_t i = 0; i < count; i++)
		fputs("|---", out);
	fputs("|\n", out);
}

/* A section of audit's part, or with audit NULL of the whole report. */
static void
section(FILE *out, struct arena *arena, const struct audit *audit, const char *title, const char *controls)
{
	fprintf(out, "\n## %s\n\n_Evidence for %s_\n\n", audit_title(arena, audit, title), controls);
}

/* A list of facts, "- **Term:** value". */
static void
facts_list(FILE *out, const struct audit_fact *facts, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		fprintf(out, "- **%s:** ", facts[i].term);
		md(out, facts[i].value);
		fputc('\n', out);
	}
}

static void
write_provenance(FILE *out, struct arena *arena, const struct audit_provenance *p)
{
	struct audit_fact facts[AUDIT_PROVENANCE_FACTS];
	audit_provenance_facts(arena, p, facts);
	facts_list(out, facts, AUDIT_PROVENANCE_FACTS);
}

/* Which clusters a fleet's report answers for. */
static void
write_clusters(FILE *out, struct arena *arena, const struct audit_report *report)
{
	struct audit_fact facts[AUDIT_FLEET_FACTS];
	audit_fleet_facts(arena, report, facts);
	facts_list(out, facts, AUDIT_FLEET_FACTS);
	section(out, arena, NULL, "Clusters", audit_controls_summary);
	fputs("Each cluster has a part of its own below.\n\n", out);
	header(out, AUDIT_CLUSTER_COLUMNS, audit_cluster_columns);
	for (size_t i = 0; i < report->audits.len; i++) {
		const char *cells[AUDIT_CLUSTER_COLUMNS];
		audit_cluster_row(arena, vec_at(&report->audits, i), cells);
		row(out, AUDIT_CLUSTER_COLUMNS, cells);
	}
}

/* The report's opening: the project's provenance, or the fleet's
 * overview. */
static void
write_opening(FILE *out, struct arena *arena, const struct audit_report *report)
{
	fputs("# Vendor access report\n\n", out);
	if (report->fleet)
		write_clusters(out, arena, report);
	else
		write_provenance(out, arena, &((const struct audit *)vec_at(&report->audits, 0))->provenance);
}

/* The coverage findings one by one, or (brief) how many of each kind. */
static void
write_coverage(FILE *out, struct arena *arena, const struct vec *findings, bool brief)
{
	fprintf(out, "**Coverage findings:**%s\n", findings->len ? "" : " none");
	for (size_t i = 0, run = 1; i < findings->len; i++, run++) {
		const struct coverage_finding *f = vec_at(findings, i);
		const struct coverage_finding *next = i + 1 < findings->len ? vec_at(findings, i + 1) : NULL;
		if (brief && next && strcmp(next->section, f->section) == 0)
			continue;
		fputs("- ", out);
		md(out, brief ? arena_printf(arena, "%s: %zu", f->section, run) : arena_printf(arena, "%s: %s", f->section, f->text));
		fputc('\n', out);
		run = 0;
	}
}

static void
write_summary(FILE *out, struct arena *arena, const struct audit *audit, bool brief)
{
	section(out, arena, audit, "Summary", audit_controls_summary);
	if (audit->part) {
		write_provenance(out, arena, &audit->provenance);
		fputc('\n', out);
	}
	struct audit_fact counts[AUDIT_SUMMARY_FACTS];
	const char *terms[AUDIT_SUMMARY_FACTS], *values[AUDIT_SUMMARY_FACTS];
	audit_summary_facts(arena, audit, counts);
	for (size_t i = 0; i < AUDIT_SUMMARY_FACTS; i++) {
		terms[i] = counts[i].term;
		values[i] = counts[i].value;
	}
	header(out, AUDIT_SUMMARY_FACTS, terms);
	row(out, AUDIT_SUMMARY_FACTS, values);
	fputc('\n', out);
	md(out, audit_summary_note(arena, audit));
	fputs("\n\n", out);
	write_coverage(out, arena, &audit->coverage, brief);
}

static void
write_matrix(FILE *out, struct arena *arena, const struct audit *audit)
{
	section(out, arena, audit, "Access matrix", audit_controls_matrix);
	header(out, 5, (const char *[]){ "Vendor", "Target", "Ports", "Until", "Granted by" });
	for (size_t i = 0; i < audit->vendors.len; i++) {
		const struct audit_vendor *av = vec_at(&audit->vendors, i);
		for (size_t c = 0; c < av->cells.len; c++) {
			const struct audit_cell *ac = vec_at(&av->cells, c);
			const struct audit_flow *first = vec_at(&ac->flows, 0);
			row(out, 5, (const char *[]){ av->ir->name,
				arena_printf(arena, "%s%s %s", ac->inbound ? "from " : "", ac->target->kind, ac->target->name),
				ac->allowed ? ac->ports : arena_printf(arena, "%s (DENIED)", ac->ports),
				av->ends, first->source });
		}
	}
}

static void
write_targets(FILE *out, struct arena *arena, const struct audit *audit)
{
	section(out, arena, audit, "Who reaches each target", audit_controls_targets);
	header(out, 5, (const char *[]){ "Target", "Vendor", "Direction", "Ports", "Until" });
	for (size_t t = 0; t < audit->targets.len; t++) {
		const struct audit_target *target = vec_at(&audit->targets, t);
		for (size_t c = 0; c < target->cells.len; c++) {
			const struct audit_cell *ac = vec_at(&target->cells, c);
			row(out, 5, (const char *[]){ arena_printf(arena, "%s %s", target->kind, target->name),
				ac->vendor->ir->name, ac->inbound ? "reached by the target" : "reaches the target",
				ac->ports, ac->vendor->ends });
		}
	}
	fputs("\nOther sources the catalog's NetworkPolicies admit to these targets (where no policy "
	      "isolates a target's pods, anything in the cluster reaches them):\n\n", out);
	header(out, 4, (const char *[]){ "Target", "Policy", "From", "Ports" });
	for (size_t t = 0; t < audit->targets.len; t++) {
		const struct audit_target *target = vec_at(&audit->targets, t);
		for (size_t i = 0; i < target->sources.len; i++) {
			const struct explain_source *source = vec_at(&target->sources, i);
			row(out, 4, (const char *[]){ arena_printf(arena, "%s %s", target->kind, target->name),
				source->policy, source->from, source->ports });
		}
	}
}

static bool
needs_attention(const struct audit_vendor *av)
{
	return av->state != AUDIT_ACTIVE || av->review_overdue;
}

/* The timeline as a table, soonest end first; with attention_rows, the
 * vendors expired, expiring or due for review alone, at most that many
 * of them. */
static void
write_timeline(FILE *out, struct arena *arena, const struct audit *audit, size_t attention_rows)
{
	bool attention_only = attention_rows > 0;
	size_t rows = 0;
	section(out, arena, audit, attention_only ? "Vendors that need attention" : "Expiry timeline",
		audit_controls_timeline);
	const struct vec *sorted = &audit->by_end;
	header(out, 6, (const char *[]){ "Vendor", "Access ends", "State", "Reviewed", "Owner", "Ticket" });
	for (size_t i = 0; i < sorted->len; i++) {
		const struct audit_vendor *av = vec_at(sorted, i);
		if (attention_only && !needs_attention(av))
			continue;
		if (attention_only && ++rows > attention_rows) {
			size_t more = 1;
			while (++i < sorted->len)
				more += needs_attention(vec_at(sorted, i));
			fprintf(out, "\n%zu more vendors need attention: see the full report.\n", more);
			return;
		}
		row(out, 6, (const char *[]){ av->ir->name, av->ends, audit_state_name(av->state),
				audit_review_text(arena, audit, av), av->ir->owner, av->ir->ticket });
	}
}

static void
write_vendor(FILE *out, struct arena *arena, const struct audit *audit, const struct audit_vendor *av)
{
	const struct ir_vendor *v = av->ir;
	fputs("\n### ", out);
	md(out, arena_printf(arena, "%s (%s)", v->name, audit_state_name(av->state)));
	struct audit_fact facts[AUDIT_VENDOR_FACTS];
	audit_vendor_facts(arena, audit, av, facts);
	fputs("\n\n", out);
	facts_list(out, facts, AUDIT_VENDOR_FACTS);
	if (av->flows.len == 0) {
		fprintf(out, "\nNo access%s.\n", v->expired ? ": expired" : "");
		return;
	}
	fputc('\n', out);
	header(out, 6, (const char *[]){ "Way", "Peer", "Ports", "Granted by", "Sides", "Policy objects" });
	for (size_t f = 0; f < av->flows.len; f++) {
		const struct audit_flow *af = vec_at(&av->flows, f);
		const char *objects = "";
		for (size_t o = 0; o < af->objects.len; o++)
			objects = arena_printf(arena, "%s%s%s", objects, o ? "; " : "", (const char *)vec_at(&af->objects, o));
		row(out, 6, (const char *[]){ af->inbound ? "from" : "to", af->peer,
			af->allowed ? af->ports : arena_printf(arena, "%s (DENIED)", af->ports),
			arena_printf(arena, "%s: %s", af->source, af->statement),
			arena_printf(arena, "egress: %s; ingress: %s", af->egress, af->ingress), objects });
	}
}

static void
write_vendors(FILE *out, struct arena *arena, const struct audit *audit)
{
	section(out, arena, audit, "Vendors", audit_controls_vendors);
	for (size_t i = 0; i < audit->vendors.len; i++)
		write_vendor(out, arena, audit, vec_at(&audit->vendors, i));
}

static void
write_history(FILE *out, struct arena *arena, const struct history *history)
{
	section(out, arena, NULL, "History of access", audit_controls_history);
	fputs("From git, range `", out);
	md(out, history->range);
	fprintf(out, "`: %zu commit%s changed vendor files.\n\n", history->commits.len,
		history->commits.len == 1 ? "" : "s");
	header(out, 7, (const char *[]){ "Vendor", "Date", "Commit", "Author", "Change", "Statement", "Message" });
	for (size_t i = 0; i < history->vendors.len; i++) {
		const struct history_vendor *hv = vec_at(&history->vendors, i);
		for (size_t e = 0; e < hv->events.len; e++) {
			const struct history_event *event = vec_at(&hv->events, e);
			row(out, 7, (const char *[]){ hv->deleted ? arena_printf(arena, "%s (deleted)", hv->name) : hv->name,
				event->commit->date, arena_strndup(arena, event->commit->hash, 12), event->commit->author,
				audit_event_text(event), audit_event_statement(arena, event), event->commit->subject });
		}
	}
}

static void
write_signoff(FILE *out, struct arena *arena)
{
	section(out, arena, NULL, "Sign-off", audit_controls_signoff);
	header(out, 4, (const char *[]){ "Role", "Name", "Signature", "Date" });
	fputs("| Prepared by | | | |\n| Reviewed by (security) | | | |\n| Approved by (risk owner) | | | |\n", out);
}

static void
write_full(FILE *out, struct arena *arena, const struct audit_report *report)
{
	write_opening(out, arena, report);
	for (size_t i = 0; i < report->audits.len; i++) {
		const struct audit *audit = vec_at(&report->audits, i);
		write_summary(out, arena, audit, false);
		write_matrix(out, arena, audit);
		write_targets(out, arena, audit);
		write_timeline(out, arena, audit, 0);
		write_vendors(out, arena, audit);
	}
	if (report->history)
		write_history(out, arena, report->history);
	write_signoff(out, arena);
}

/* Too long for a comment: what needs attention, and where the rest is;
 * a fleet's clusters share the rows. */
static void
write_short(FILE *out, struct arena *arena, const struct audit_report *report, size_t full_length)
{
	write_opening(out, arena, report);
	fprintf(out, "\n> The full report is %zu characters, more than a GitHub comment holds (%d): this is its "
		"summary, the coverage findings counted, and the vendors that need attention. "
		"`vendorc report --format html` has all of it.\n",
		full_length, COMMENT_LIMIT);
	size_t rows = ATTENTION_ROWS / report->audits.len;
	for (size_t i = 0; i < report->audits.len; i++) {
		const struct audit *audit = vec_at(&report->audits, i);
		write_summary(out, arena, audit, true);
		write_timeline(out, arena, audit, rows ? rows : 1);
	}
	write_signoff(out, arena);
}

void
audit_markdown(FILE *out, struct arena *arena, const struct audit_report *report)
{
	char *full = NULL;
	size_t length = 0;
	FILE *buffer = open_memstream(&full, &length);
	if (!buffer)
		abort();
	write_full(buffer, arena, report);
	fclose(buffer);
	if (length <= COMMENT_LIMIT)
		fwrite(full, 1, length, out);
	else
		write_short(out, arena, report, length);
	free(full);
}
