/* The report as one self-contained HTML file: no script, no request to
 * the network, a print stylesheet, every string from input escaped, and
 * the same bytes for the same input and --now, so it can be committed and
 * diffed. The expiry timeline is SVG drawn here (audit_timeline). */

#include "vendorc/audit.h"

#include "vendorc/coverage.h"
#include "vendorc/explain.h"
#include "vendorc/history.h"
#include "vendorc/ir.h"
#include "vendorc/when.h"

#include <string.h>

/* A matrix wider than this many targets is a list of its cells instead:
 * a grid a reader can follow, or a table a printer can print. */
enum { GRID_MAX_TARGETS = 40 };

static const char style[] =
	"body{font-family:\"DejaVu Sans\",Arial,sans-serif;color:#1a1a1a;background:#fff;margin:2em auto;"
	"max-width:72em;padding:0 1em;line-height:1.4}\n"
	"h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #1a1a1a;margin-top:2em}\n"
	"p.controls{color:#3d3d3d;font-size:.9em;margin-top:-.5em}\n"
	"table{border-collapse:collapse;margin:.6em 0;font-size:.9em}\n"
	"th,td{border:1px solid #767676;padding:.25em .5em;text-align:left;vertical-align:top}\n"
	"th{background:#e8e8e8}td.none{color:#595959}\n"
	"table.matrix th.target{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;"
	"vertical-align:bottom;font-size:.8em}table.matrix td{font-size:.8em}div.wide{overflow-x:auto}\n"
	"code{font-family:\"DejaVu Sans Mono\",monospace;font-size:.95em}\n"
	".active{background:#e6f4ea;color:#0b4d1a}.expiring{background:#fff1cc;color:#5c3b00}"
	".expired{background:#fde2e2;color:#7a0000}.denied{background:#fde2e2;color:#7a0000;font-weight:bold}\n"
	".badge{padding:0 .4em;border-radius:.3em;font-weight:bold}\n"
	"dl.facts{display:grid;grid-template-columns:max-content auto;gap:.1em 1em}dl.facts dt{font-weight:bold}"
	"dl.facts dd{margin:0}\n"
	"section.vendor{border-top:1px solid #767676;margin-top:1.5em}\n"
	"table.signoff td{height:2.5em;min-width:12em}\n"
	"a{color:#0645ad}\n"
	"@page{size:A4;margin:15mm}@page wide{size:A4 landscape}div.wide{page:wide}\n"
	"@media print{body{margin:0;max-width:none;font-size:10pt}a{color:#1a1a1a;text-decoration:none}"
	"h2{break-before:page}h2.first{break-before:auto}tr,dl,figure{break-inside:avoid}"
	"thead{display:table-header-group}nav{display:none}div.wide{overflow:visible}}\n";

/* Text for an element or an attribute: the five characters HTML gives a
 * meaning escaped, so a vendor file's `owner "<script>"` stays text. */
void
audit_html_text(FILE *out, const char *s)
{
	static const char special[] = "&<>\"'";
	static const char *const entity[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
	while (s && *s) {
		/* The runs between special characters go out whole: a character at
		 * a time was a fifth of a 10,000-vendor report's writing. */
		size_t run = strcspn(s, special);
		fwrite(s, 1, run, out);
		s += run;
		if (*s)
			fputs(entity[strchr(special, *s++) - special], out);
	}
}

/* <td class="cls">s</td>, or "none" in grey when s is NULL */
static void
cell(FILE *out, const char *cls, const char *s)
{
	if (!s)
		cls = "none";
	if (cls)
		fprintf(out, "<td class=\"%s\">", cls);
	else
		fputs("<td>", out);
	audit_html_text(out, s ? s : "none");
	fputs("</td>", out);
}

void
audit_html_heading(FILE *out, struct arena *arena, const struct audit *audit, const char *id, const char *title,
	const char *controls, const char *intro)
{
	/* The first heading starts the first printed page; every other one a
	 * page of its own. */
	bool first = audit ? !audit->part && strcmp(id, "summary") == 0 : strcmp(id, "clusters") == 0;
	fprintf(out, "<h2 id=\"%s\"%s>", audit ? audit_id(arena, audit, id) : id, first ? " class=\"first\"" : "");
	fprintf(out, "%s</h2>\n<p class=\"controls\">Evidence for %s</p>\n", audit_title(arena, audit, title), controls);
	if (intro)
		fprintf(out, "<p>%s</p>\n", intro);
}

/* <table><thead> with a header cell per column, then <tbody>. */
static void
table_begin(FILE *out, const char *cls, const char *const *columns, size_t count)
{
	if (cls)
		fprintf(out, "<table class=\"%s\"><thead><tr>", cls);
	else
		fputs("<table><thead><tr>", out);
	for (size_t i = 0; i < count; i++)
		fprintf(out, "<th scope=\"col\">%s</th>", columns[i]);
	fputs("</tr></thead><tbody>\n", out);
}

#define TABLE(out, cls, ...) table_begin(out, cls, (const char *const[]){ __VA_ARGS__ }, \
	sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

/* A row's header: the vendor, linked to its page; below it, note. */
static void
vendor_th(FILE *out, const struct audit_vendor *av, const char *note)
{
	fprintf(out, "<tr><th scope=\"row\"><a href=\"#%s\">", av->anchor);
	audit_html_text(out, av->ir->name);
	fputs("</a>", out);
	if (note) {
		fputs("<br>", out);
		audit_html_text(out, note);
	}
	fputs("</th>", out);
}

static void
badge(FILE *out, enum audit_state state)
{
	fprintf(out, "<span class=\"badge %s\">%s</span>", audit_state_name(state), audit_state_name(state));
}

/* ---- provenance and summary ---- */

static void
fact(FILE *out, const char *term, const char *value)
{
	fputs("<dt>", out);
	audit_html_text(out, term);
	fputs("</dt><dd>", out);
	audit_html_text(out, value);
	fputs("</dd>\n", out);
}

/* A <dl> of facts. */
static void
facts_list(FILE *out, const struct audit_fact *facts, size_t count)
{
	fputs("<dl class=\"facts\">\n", out);
	for (size_t i = 0; i < count; i++)
		fact(out, facts[i].term, facts[i].value);
	fputs("</dl>\n", out);
}

static void
write_provenance(FILE *out, struct arena *arena, const struct audit_provenance *p)
{
	struct audit_fact facts[AUDIT_PROVENANCE_FACTS];
	audit_provenance_facts(arena, p, facts);
	facts_list(out, facts, AUDIT_PROVENANCE_FACTS);
}

static void
write_summary(FILE *out, struct arena *arena, const struct audit *audit)
{
	audit_html_heading(out, arena, audit, "summary", "Summary", audit_controls_summary, NULL);
	if (audit->part)
		write_provenance(out, arena, &audit->provenance);
	struct audit_fact counts[AUDIT_SUMMARY_FACTS];
	audit_summary_facts(arena, audit, counts);
	fputs("<table><thead><tr>", out);
	for (size_t i = 0; i < AUDIT_SUMMARY_FACTS; i++) {
		fputs("<th scope=\"col\">", out);
		audit_html_text(out, counts[i].term);
		fputs("</th>", out);
	}
	fputs("</tr></thead><tbody>\n<tr>", out);
	for (size_t i = 0; i < AUDIT_SUMMARY_FACTS; i++)
		cell(out, i == AUDIT_SUMMARY_FACTS - 1 && audit->flows_denied ? "denied" : NULL, counts[i].value);
	fputs("</tr></tbody></table>\n<p>", out);
	audit_html_text(out, audit_summary_note(arena, audit));
	fputs("</p>\n", out);
	fputs("<h3>Coverage findings</h3>\n", out);
	if (audit->coverage.len == 0)
		fputs("<p>Every namespace default-deny, every workload selected, no vendor access resting on "
		      "catalog policies.</p>\n", out);
	else
		TABLE(out, NULL, "Finding", "About");
	for (size_t i = 0; i < audit->coverage.len; i++) {
		const struct coverage_finding *f = vec_at(&audit->coverage, i);
		fputs("<tr>", out);
		cell(out, NULL, f->section);
		cell(out, NULL, f->text);
		fputs("</tr>\n", out);
	}
	if (audit->coverage.len)
		fputs("</tbody></table>\n", out);
}

/* ---- the matrix ---- */

/* A grid cell: the ports, "from:" when the target connects to the vendor,
 * linked to the vendor's flow that grants them. */
static void
grid_ports(FILE *out, const struct audit_cell *c)
{
	if (!c)
		return;
	const struct audit_flow *first = vec_at(&c->flows, 0);
	fprintf(out, "<a href=\"#%s\"%s>", first->anchor, c->allowed ? "" : " class=\"denied\"");
	audit_html_text(out, c->inbound ? "from: " : "");
	audit_html_text(out, c->ports);
	fputs(c->allowed ? "</a>" : " DENIED</a>", out);
}

static const struct audit_cell *
cell_of(const struct audit_vendor *av, const struct audit_target *target, bool inbound)
{
	for (size_t i = 0; i < av->cells.len; i++) {
		const struct audit_cell *c = vec_at(&av->cells, i);
		if (c->target == target && c->inbound == inbound)
			return c;
	}
	return NULL;
}

static void
grid_row(FILE *out, struct arena *arena, const struct audit *audit, const struct audit_vendor *av)
{
	vendor_th(out, av, av->ir->never_expires ? "never expires"
		: arena_printf(arena, "until %.10s", when_format(arena, av->ir->ends_at)));
	for (size_t t = 0; t < audit->targets.len; t++) {
		const struct audit_target *target = vec_at(&audit->targets, t);
		const struct audit_cell *out_cell = cell_of(av, target, false), *in_cell = cell_of(av, target, true);
		fputs("<td>", out);
		grid_ports(out, out_cell);
		fputs(out_cell && in_cell ? "<br>" : "", out);
		grid_ports(out, in_cell);
		fputs("</td>", out);
	}
	fputs("</tr>\n", out);
}

static void
write_grid(FILE *out, struct arena *arena, const struct audit *audit)
{
	fputs("<table class=\"matrix\"><thead><tr><th scope=\"col\">Vendor, end of access</th>", out);
	for (size_t t = 0; t < audit->targets.len; t++) {
		const struct audit_target *target = vec_at(&audit->targets, t);
		fprintf(out, "<th scope=\"col\" class=\"target\"><a href=\"#%s\">", target->anchor);
		audit_html_text(out, arena_printf(arena, "%s %s", target->kind, target->name));
		fputs("</a></th>", out);
	}
	fputs("</tr></thead><tbody>\n", out);
	for (size_t i = 0; i < audit->vendors.len; i++) {
		const struct audit_vendor *av = vec_at(&audit->vendors, i);
		if (av->cells.len)
			grid_row(out, arena, audit, av);
	}
	fputs("</tbody></table>\n", out);
}

static void
write_list(FILE *out, struct arena *arena, const struct audit *audit)
{
	TABLE(out, "matrix", "Vendor", "Target", "Ports", "Until");
	for (size_t i = 0; i < audit->vendors.len; i++) {
		const struct audit_vendor *av = vec_at(&audit->vendors, i);
		for (size_t c = 0; c < av->cells.len; c++) {
			const struct audit_cell *ac = vec_at(&av->cells, c);
			vendor_th(out, av, NULL);
			fprintf(out, "<td><a href=\"#%s\">", ac->target->anchor);
			audit_html_text(out, arena_printf(arena, "%s%s %s", ac->inbound ? "from " : "", ac->target->kind, ac->target->name));
			fputs("</a></td>", out);
			cell(out, ac->allowed ? NULL : "denied", ac->allowed ? ac->ports
				: arena_printf(arena, "%s (DENIED)", ac->ports));
			cell(out, NULL, av->ends);
			fputs("</tr>\n", out);
		}
	}
	fputs("</tbody></table>\n", out);
}

/* A grid prints on a landscape page of its own (div.wide), its heading
 * with it. */
static void
write_matrix(FILE *out, struct arena *arena, const struct audit *audit)
{
	bool grid = audit->targets.len && audit->targets.len <= GRID_MAX_TARGETS;
	fputs(grid ? "<div class=\"wide\">\n" : "", out);
	audit_html_heading(out, arena, audit, "matrix", "Access matrix", audit_controls_matrix,
		"Each cell: the ports the evaluated policies admit (from: the target connects to the "
		"vendor); it links to the vendor's page, which names the vendor-file line and the policy "
		"objects behind it. Expired vendors have no cells.");
	if (audit->targets.len == 0)
		fputs("<p>No vendor has access to anything.</p>\n", out);
	else if (grid)
		write_grid(out, arena, audit);
	else
		write_list(out, arena, audit);
	fputs(grid ? "</div>\n" : "", out);
}

/* ---- the view from each target ---- */

/* Who else reaches a target of pods, by the catalog's own policies. */
static void
write_sources(FILE *out, const struct audit_target *target)
{
	if (!target->in_cluster)
		return;
	if (target->sources.len == 0) {
		fputs("<p>Other sources: the catalog's NetworkPolicies admit none; where no policy isolates "
		      "these pods, anything in the cluster reaches them.</p>\n", out);
		return;
	}
	fputs("<p>Other sources the catalog's NetworkPolicies admit:</p>\n", out);
	TABLE(out, NULL, "Policy", "From", "Ports");
	for (size_t i = 0; i < target->sources.len; i++) {
		const struct explain_source *source = vec_at(&target->sources, i);
		fputs("<tr>", out);
		cell(out, NULL, source->policy);
		cell(out, NULL, source->from);
		cell(out, NULL, source->ports);
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
}

static void
write_target(FILE *out, struct arena *arena, const struct audit_target *target)
{
	fprintf(out, "<h3 id=\"%s\">", target->anchor);
	audit_html_text(out, arena_printf(arena, "%s %s", target->kind, target->name));
	fputs("</h3>\n", out);
	TABLE(out, NULL, "Vendor", "Direction", "Ports", "Until", "Granted by");
	for (size_t c = 0; c < target->cells.len; c++) {
		const struct audit_cell *ac = vec_at(&target->cells, c);
		const struct audit_flow *first = vec_at(&ac->flows, 0);
		vendor_th(out, ac->vendor, NULL);
		cell(out, NULL, ac->inbound ? "reached by the target" : "reaches the target");
		cell(out, ac->allowed ? NULL : "denied", ac->ports);
		cell(out, NULL, ac->vendor->ends);
		fputs("<td><code>", out);
		audit_html_text(out, arena_printf(arena, "%s: %s", first->source, first->statement));
		fputs("</code></td></tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
	write_sources(out, target);
}

static void
write_targets(FILE *out, struct arena *arena, const struct audit *audit)
{
	audit_html_heading(out, arena, audit, "targets", "Who reaches each target", audit_controls_targets,
		"For each Service, pod group, domain and range a vendor file names: the vendors that "
		"reach it or that it reaches, as <code>vendorc explain --to</code> answers. The proof "
		"(<code>vendorc check</code>) shows no vendor reaches anything else.");
	for (size_t t = 0; t < audit->targets.len; t++)
		write_target(out, arena, vec_at(&audit->targets, t));
}

/* ---- vendors ---- */

static void
inventory_row(FILE *out, struct arena *arena, const struct audit *audit, const struct audit_vendor *av)
{
	const struct ir_vendor *v = av->ir;
	vendor_th(out, av, NULL);
	cell(out, NULL, v->owner);
	cell(out, NULL, v->ticket);
	cell(out, NULL, v->expires);
	fputs("<td>", out);
	badge(out, av->state);
	fputs("</td>", out);
	cell(out, NULL, v->justification);
	cell(out, av->review_overdue ? "expiring" : NULL, audit_review_text(arena, audit, av));
	cell(out, NULL, arena_printf(arena, "%zu", av->flows.len));
	cell(out, NULL, v->source);
	fputs("</tr>\n", out);
}

static void
flow_row(FILE *out, struct arena *arena, const struct audit_flow *af)
{
	fprintf(out, "<tr id=\"%s\">", af->anchor);
	cell(out, NULL, af->inbound ? "from" : "to");
	cell(out, NULL, af->peer);
	cell(out, af->allowed ? NULL : "denied", af->allowed ? af->ports
		: arena_printf(arena, "%s (DENIED)", af->ports));
	fputs("<td><code>", out);
	audit_html_text(out, af->source);
	fputs("</code><br>", out);
	audit_html_text(out, af->statement);
	fputs("</td>", out);
	cell(out, NULL, arena_printf(arena, "egress: %s; ingress: %s", af->egress, af->ingress));
	fputs("<td>", out);
	for (size_t o = 0; o < af->objects.len; o++) {
		fputs(o ? "<br>" : "", out);
		audit_html_text(out, vec_at(&af->objects, o));
	}
	fputs("</td></tr>\n", out);
}

static void
write_vendor(FILE *out, struct arena *arena, const struct audit *audit, const struct audit_vendor *av)
{
	const struct ir_vendor *v = av->ir;
	fprintf(out, "<section class=\"vendor\" id=\"%s\">\n<h3>", av->anchor);
	audit_html_text(out, v->name);
	fputs(" ", out);
	badge(out, av->state);
	fputs("</h3>\n", out);
	struct audit_fact facts[AUDIT_VENDOR_FACTS];
	audit_vendor_facts(arena, audit, av, facts);
	facts_list(out, facts, AUDIT_VENDOR_FACTS);
	if (av->flows.len == 0) {
		fprintf(out, "<p>No access%s.</p>\n</section>\n", v->expired ? ": expired" : "");
		return;
	}
	TABLE(out, NULL, "Way", "Peer", "Ports", "Granted by", "How each side decides", "Policy objects");
	for (size_t f = 0; f < av->flows.len; f++)
		flow_row(out, arena, vec_at(&av->flows, f));
	fputs("</tbody></table>\n</section>\n", out);
}

static void
write_vendors(FILE *out, struct arena *arena, const struct audit *audit)
{
	audit_html_heading(out, arena, audit, "vendors", "Vendor inventory", audit_controls_vendors,
		"To check against the contracts: every vendor file of the project, expired ones "
		"included until their file is deleted.");
	TABLE(out, NULL, "Vendor", "Owner", "Ticket", "Expires", "State", "Justification", "Reviewed", "Flows",
		"File");
	for (size_t i = 0; i < audit->vendors.len; i++)
		inventory_row(out, arena, audit, vec_at(&audit->vendors, i));
	fputs("</tbody></table>\n", out);
	for (size_t i = 0; i < audit->vendors.len; i++)
		write_vendor(out, arena, audit, vec_at(&audit->vendors, i));
}

static void
history_row(FILE *out, struct arena *arena, const struct history_event *event)
{
	const struct history_commit *commit = event->commit;
	fputs("<tr>", out);
	cell(out, NULL, commit->date);
	fputs("<td><code>", out);
	audit_html_text(out, arena_strndup(arena, commit->hash, 12));
	fputs("</code></td>", out);
	cell(out, NULL, commit->author);
	cell(out, event->kind == HISTORY_VENDOR_DELETED || event->kind == HISTORY_GRANT_REMOVED ? "expired" : NULL,
		audit_event_text(event));
	fputs("<td><code>", out);
	audit_html_text(out, audit_event_statement(arena, event));
	fputs("</code></td>", out);
	cell(out, NULL, event->line ? arena_printf(arena, "%s:%u", event->path, event->line) : event->path);
	cell(out, NULL, commit->subject);
	fputs("</tr>\n", out);
}

static void
write_history(FILE *out, struct arena *arena, const struct history *history)
{
	audit_html_heading(out, arena, NULL, "history", "History of access", audit_controls_history, NULL);
	fprintf(out, "<p>From git, range <code>");
	audit_html_text(out, history->range);
	fprintf(out, "</code>: %zu commit%s changed vendor files. For each vendor, when each grant (an allow "
		"or egress statement, or <code>runs in</code>) appeared, changed and disappeared, deleted "
		"vendors included.</p>\n", history->commits.len,
		history->commits.len == 1 ? "" : "s");
	for (size_t i = 0; i < history->vendors.len; i++) {
		const struct history_vendor *hv = vec_at(&history->vendors, i);
		fputs("<h3>", out);
		audit_html_text(out, hv->name);
		fputs(hv->deleted ? " <span class=\"badge expired\">deleted</span></h3>\n" : "</h3>\n", out);
		TABLE(out, NULL, "Date", "Commit", "Author", "Change", "Statement", "File", "Message");
		for (size_t e = 0; e < hv->events.len; e++)
			history_row(out, arena, vec_at(&hv->events, e));
		fputs("</tbody></table>\n", out);
	}
	for (size_t i = 0; i < history->skipped.len; i++) {
		const struct history_skip *skip = vec_at(&history->skipped, i);
		fputs("<p>Skipped, as it does not parse: <code>", out);
		audit_html_text(out, skip->path);
		fputs("</code> at ", out);
		audit_html_text(out, history_commit_text(arena, skip->commit));
		fputs("</p>\n", out);
	}
}

static void
write_signoff(FILE *out, struct arena *arena)
{
	audit_html_heading(out, arena, NULL, "signoff", "Sign-off", audit_controls_signoff,
		"Reviewed against the vendor contracts and tickets above.");
	TABLE(out, "signoff", "Role", "Name", "Signature", "Date");
	static const char *const roles[] = { "Prepared by", "Reviewed by (security)", "Approved by (risk owner)" };
	for (size_t i = 0; i < sizeof(roles) / sizeof(*roles); i++)
		fprintf(out, "<tr><th scope=\"row\">%s</th><td></td><td></td><td></td></tr>\n", roles[i]);
	fputs("</tbody></table>\n", out);
}

/* The sections of a part: the project's report, or one cluster's. */
static const char *const part_sections[][2] = {
	{ "summary", "Summary" }, { "matrix", "Access matrix" }, { "targets", "Targets" },
	{ "timeline", "Expiry timeline" }, { "vendors", "Vendors" },
};

static void
nav_link(FILE *out, bool first, const char *id, const char *label)
{
	fprintf(out, "%s<a href=\"#%s\">", first ? "" : " · ", id);
	audit_html_text(out, label);
	fputs("</a>", out);
}

static void
nav_part(FILE *out, struct arena *arena, const struct audit *audit)
{
	for (size_t i = 0; i < sizeof(part_sections) / sizeof(*part_sections); i++)
		nav_link(out, i == 0, audit_id(arena, audit, part_sections[i][0]), part_sections[i][1]);
}

/* The report's own sections: the history of access and the sign-off. */
static void
nav_end(FILE *out, bool history)
{
	if (history)
		nav_link(out, false, "history", "History");
	nav_link(out, false, "signoff", "Sign-off");
	fputs("</p></nav>\n", out);
}

static void
write_part(FILE *out, struct arena *arena, const struct audit *audit)
{
	write_summary(out, arena, audit);
	write_matrix(out, arena, audit);
	write_targets(out, arena, audit);
	audit_timeline(out, arena, audit);
	write_vendors(out, arena, audit);
}

static void
write_project(FILE *out, struct arena *arena, const struct audit *audit, bool history)
{
	write_provenance(out, arena, &audit->provenance);
	fputs("</header>\n<main>\n<nav><p>", out);
	nav_part(out, arena, audit);
	nav_end(out, history);
	write_part(out, arena, audit);
}

/* Which clusters the report answers for, each linked to its part. */
static void
write_clusters(FILE *out, struct arena *arena, const struct vec *audits)
{
	audit_html_heading(out, arena, NULL, "clusters", "Clusters", audit_controls_summary,
		"The report answers for every cluster of the fleet, each in a part of its own: the "
		"cluster's provenance, summary, matrix, targets, timeline and vendors.");
	table_begin(out, NULL, audit_cluster_columns, AUDIT_CLUSTER_COLUMNS);
	for (size_t i = 0; i < audits->len; i++) {
		const struct audit *audit = vec_at(audits, i);
		const char *row[AUDIT_CLUSTER_COLUMNS];
		audit_cluster_row(arena, audit, row);
		fprintf(out, "<tr><th scope=\"row\"><a href=\"#%s\">", audit_id(arena, audit, "summary"));
		audit_html_text(out, row[0]);
		fputs("</a></th>", out);
		for (size_t c = 1; c < AUDIT_CLUSTER_COLUMNS; c++)
			cell(out, c == AUDIT_CLUSTER_COLUMNS - 1 && !audit->provenance.proved ? "denied" : NULL, row[c]);
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
}

static void
write_fleet(FILE *out, struct arena *arena, const struct audit_report *report)
{
	struct audit_fact facts[AUDIT_FLEET_FACTS];
	audit_fleet_facts(arena, report, facts);
	facts_list(out, facts, AUDIT_FLEET_FACTS);
	fputs("</header>\n<main>\n<nav><p>", out);
	nav_link(out, true, "clusters", "Clusters");
	for (size_t i = 0; i < report->audits.len; i++) {
		const struct audit *audit = vec_at(&report->audits, i);
		nav_link(out, false, audit_id(arena, audit, "summary"), audit->part);
	}
	nav_end(out, report->history != NULL);
	write_clusters(out, arena, &report->audits);
	for (size_t i = 0; i < report->audits.len; i++) {
		const struct audit *audit = vec_at(&report->audits, i);
		fputs("<nav><p>", out);
		audit_html_text(out, audit->part);
		fputs(": ", out);
		nav_part(out, arena, audit);
		fputs("</p></nav>\n", out);
		write_part(out, arena, audit);
	}
}

void
audit_html(FILE *out, struct arena *arena, const struct audit_report *report)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>Vendor access report</title>\n<style>\n", out);
	fputs(style, out);
	fputs("</style>\n</head>\n<body>\n<header>\n<h1>Vendor access report</h1>\n", out);
	if (report->fleet)
		write_fleet(out, arena, report);
	else
		write_project(out, arena, vec_at(&report->audits, 0), report->history != NULL);
	if (report->history)
		write_history(out, arena, report->history);
	write_signoff(out, arena);
	fputs("</main>\n</body>\n</html>\n", out);
}
