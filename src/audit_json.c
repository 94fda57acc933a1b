/* The report as one JSON object, for pipelines and for archiving beside
 * the HTML: the same content, nothing laid out. */

#include "vendorc/audit.h"

#include "vendorc/coverage.h"
#include "vendorc/explain.h"
#include "vendorc/history.h"
#include "vendorc/ir.h"
#include "vendorc/json.h"
#include "vendorc/when.h"

#include <string.h>

/* ,"key":"value" (or the first member without the comma) */
static void
member(FILE *out, bool first, const char *key, const char *value)
{
	fprintf(out, "%s\"%s\":", first ? "" : ",", key);
	json_string(out, value);
}

static void
strings(FILE *out, const char *key, const struct vec *texts)
{
	fprintf(out, ",\"%s\":[", key);
	for (size_t i = 0; i < texts->len; i++) {
		fputs(i ? "," : "", out);
		json_string(out, vec_at(texts, i));
	}
	fputc(']', out);
}

/* [{...},{...}]: each item's members written by write */
static void
objects(FILE *out, struct arena *arena, const struct vec *items,
	void (*write)(FILE *out, struct arena *arena, const void *item))
{
	fputc('[', out);
	for (size_t i = 0; i < items->len; i++) {
		fputs(i ? ",{" : "{", out);
		write(out, arena, vec_at(items, i));
		fputc('}', out);
	}
	fputc(']', out);
}

static void
write_provenance(FILE *out, const struct audit_provenance *p)
{
	member(out, true, "vendorc", p->version);
	member(out, false, "now", p->now);
	member(out, false, "project", p->project);
	member(out, false, "cluster", p->cluster);
	member(out, false, "backend", p->backend);
	member(out, false, "enforce", p->enforce);
	member(out, false, "commit", p->commit);
	fprintf(out, ",\"dirty\":%s", p->dirty ? "true" : "false");
	member(out, false, "output_sha256", p->output_hash);
	fprintf(out, ",\"output_files\":%zu,\"proved\":%s,\"proof_errors\":%zu", p->output_files,
		p->proved ? "true" : "false", p->proof_errors);
}

static void
write_finding(FILE *out, struct arena *arena, const void *item)
{
	(void)arena;
	const struct coverage_finding *f = item;
	member(out, true, "section", f->section);
	member(out, false, "finding", f->text);
}

static void
write_summary(FILE *out, struct arena *arena, const struct audit *audit)
{
	fprintf(out, "{\"vendors\":%zu,\"active\":%zu,\"expiring\":%zu,\"expired\":%zu,\"reviews_overdue\":%zu,"
		"\"never_reviewed\":%zu,\"declared_flows_denied\":%zu", audit->vendors.len, audit->counts[AUDIT_ACTIVE],
		audit->counts[AUDIT_EXPIRING], audit->counts[AUDIT_EXPIRED], audit->reviews_overdue,
		audit->never_reviewed, audit->flows_denied);
	strings(out, "default_denied_namespaces", &audit->denied_namespaces);
	fputs(",\"coverage\":", out);
	objects(out, arena, &audit->coverage, write_finding);
	fputc('}', out);
}

static void
write_flow(FILE *out, struct arena *arena, const void *item)
{
	(void)arena;
	const struct audit_flow *af = item;
	member(out, true, "direction", af->inbound ? "ingress" : "egress");
	member(out, false, "peer", af->peer);
	member(out, false, "ports", af->ports);
	fprintf(out, ",\"allowed\":%s", af->allowed ? "true" : "false");
	member(out, false, "statement", af->statement);
	member(out, false, "source", af->source);
	member(out, false, "egress", af->egress);
	member(out, false, "ingress", af->ingress);
	strings(out, "objects", &af->objects);
}

static void
write_vendor(FILE *out, struct arena *arena, const void *item)
{
	const struct audit_vendor *av = item;
	const struct ir_vendor *v = av->ir;
	member(out, true, "name", v->name);
	member(out, false, "source", v->source);
	member(out, false, "owner", v->owner);
	member(out, false, "ticket", v->ticket);
	member(out, false, "expires", v->expires);
	member(out, false, "access_ends", v->never_expires ? NULL : av->ends);
	member(out, false, "state", audit_state_name(av->state));
	member(out, false, "justification", v->justification);
	member(out, false, "reviewed", v->reviewed);
	member(out, false, "review_due", v->reviewed ? when_format(arena, v->review_due) : NULL);
	fprintf(out, ",\"review_overdue\":%s", av->review_overdue ? "true" : "false");
	member(out, false, "pods", av->pods);
	fputs(",\"flows\":", out);
	objects(out, arena, &av->flows, write_flow);
}

/* A cell as its target's view lists it: who, which way, which ports, until
 * when, and the lines that grant it. */
static void
write_cell(FILE *out, struct arena *arena, const void *item)
{
	const struct audit_cell *cell = item;
	const struct ir_vendor *v = cell->vendor->ir;
	member(out, true, "vendor", v->name);
	member(out, false, "direction", cell->inbound ? "ingress" : "egress");
	member(out, false, "ports", cell->ports);
	fprintf(out, ",\"allowed\":%s", cell->allowed ? "true" : "false");
	member(out, false, "access_ends", v->never_expires ? NULL : cell->vendor->ends);
	struct vec sources = { 0 };
	for (size_t f = 0; f < cell->flows.len; f++) {
		const struct audit_flow *af = vec_at(&cell->flows, f);
		if (f == 0 || strcmp(af->source, ((const struct audit_flow *)vec_at(&cell->flows, f - 1))->source) != 0)
			vec_push(arena, &sources, (void *)af->source);
	}
	strings(out, "sources", &sources);
}

static void
write_source(FILE *out, struct arena *arena, const void *item)
{
	(void)arena;
	const struct explain_source *source = item;
	member(out, true, "policy", source->policy);
	member(out, false, "from", source->from);
	member(out, false, "ports", source->ports);
}

static void
write_target(FILE *out, struct arena *arena, const void *item)
{
	const struct audit_target *target = item;
	member(out, true, "kind", target->kind);
	member(out, false, "name", target->name);
	fputs(",\"vendors\":", out);
	objects(out, arena, &target->cells, write_cell);
	if (target->in_cluster) {
		fputs(",\"catalog_sources\":", out);
		objects(out, arena, &target->sources, write_source);
	}
}

static void
write_event(FILE *out, struct arena *arena, const void *item)
{
	(void)arena;
	const struct history_event *event = item;
	static const char *const kinds[] = {
		[HISTORY_VENDOR_ADDED] = "vendor_added", [HISTORY_VENDOR_DELETED] = "vendor_deleted",
		[HISTORY_GRANT_ADDED] = "grant_added", [HISTORY_GRANT_CHANGED] = "grant_changed",
		[HISTORY_GRANT_REMOVED] = "grant_removed", [HISTORY_EXPIRY_CHANGED] = "expiry_changed",
	};
	member(out, true, "kind", kinds[event->kind]);
	member(out, false, "commit", event->commit->hash);
	member(out, false, "date", event->commit->date);
	member(out, false, "author", event->commit->author);
	member(out, false, "subject", event->commit->subject);
	member(out, false, "path", event->path);
	fprintf(out, ",\"line\":%u", event->line);
	member(out, false, "grant", event->grant);
	member(out, false, "before", event->before);
}

static void
write_history_vendor(FILE *out, struct arena *arena, const void *item)
{
	const struct history_vendor *hv = item;
	member(out, true, "vendor", hv->name);
	fprintf(out, ",\"deleted\":%s,\"events\":", hv->deleted ? "true" : "false");
	objects(out, arena, &hv->events, write_event);
}

/* "provenance", "summary", "vendors" and "targets": the project's report,
 * or one cluster's. */
static void
write_part(FILE *out, struct arena *arena, const struct audit *audit)
{
	fputs("\"provenance\":{", out);
	write_provenance(out, &audit->provenance);
	fputs("},\"summary\":", out);
	write_summary(out, arena, audit);
	fputs(",\"vendors\":", out);
	objects(out, arena, &audit->vendors, write_vendor);
	fputs(",\"targets\":", out);
	objects(out, arena, &audit->targets, write_target);
}

/* A fleet's report: what its clusters share, then each cluster's part. */
static void
write_fleet(FILE *out, struct arena *arena, const struct vec *audits)
{
	const struct audit_provenance *p = &((const struct audit *)vec_at(audits, 0))->provenance;
	fputs("\"provenance\":{", out);
	member(out, true, "vendorc", p->version);
	member(out, false, "now", p->now);
	member(out, false, "project", p->project);
	member(out, false, "commit", p->commit);
	fprintf(out, ",\"dirty\":%s", p->dirty ? "true" : "false");
	bool proved = true;
	for (size_t i = 0; i < audits->len; i++)
		proved &= ((const struct audit *)vec_at(audits, i))->provenance.proved;
	fprintf(out, ",\"proved\":%s},\"clusters\":[", proved ? "true" : "false");
	for (size_t i = 0; i < audits->len; i++) {
		const struct audit *audit = vec_at(audits, i);
		fputs(i ? ",{" : "{", out);
		member(out, true, "cluster", audit->part);
		fputc(',', out);
		write_part(out, arena, audit);
		fputc('}', out);
	}
	fputc(']', out);
}

void
audit_json(FILE *out, struct arena *arena, const struct audit_report *report)
{
	fputc('{', out);
	if (report->fleet)
		write_fleet(out, arena, &report->audits);
	else
		write_part(out, arena, vec_at(&report->audits, 0));
	if (report->history) {
		fputs(",\"history\":{", out);
		member(out, true, "range", report->history->range);
		fprintf(out, ",\"commits\":%zu,\"vendors\":", report->history->commits.len);
		objects(out, arena, &report->history->vendors, write_history_vendor);
		fputc('}', out);
	}
	fputs("}\n", out);
}
