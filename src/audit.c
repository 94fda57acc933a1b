#include "vendorc/audit.h"

#include "vendorc/backend.h"
#include "vendorc/catalog.h"
#include "vendorc/coverage.h"
#include "vendorc/eval.h"
#include "vendorc/explain.h"
#include "vendorc/history.h"
#include "vendorc/ir.h"
#include "vendorc/net.h"
#include "vendorc/probe.h"
#include "vendorc/project.h"
#include "vendorc/sha256.h"
#include "vendorc/verify.h"
#include "vendorc/when.h"

#include <string.h>

/* The controls of PCI DSS 4.0.1 and SOC 2 (2017 TSC) each section gives
 * evidence for, printed under its heading. */
const char audit_controls_summary[] = "PCI DSS 1.2.7, 7.2.4; SOC 2 CC6.1";
const char audit_controls_matrix[] = "PCI DSS 1.2.5, 1.3.1, 1.3.2; SOC 2 CC6.1, CC6.6";
const char audit_controls_targets[] = "PCI DSS 1.3.1, 1.3.2, 7.2.4; SOC 2 CC6.1, CC6.3";
const char audit_controls_vendors[] = "PCI DSS 1.2.5, 7.2.4, 8.2.7; SOC 2 CC6.2, CC6.3, CC9.2";
const char audit_controls_timeline[] = "PCI DSS 8.2.7; SOC 2 CC6.2, CC6.3";
const char audit_controls_history[] = "PCI DSS 1.2.7, 7.2.4, 8.2.7; SOC 2 CC6.2, CC6.3, CC9.2";
const char audit_controls_signoff[] = "PCI DSS 1.2.7, 7.2.4; SOC 2 CC6.2, CC6.3";

struct auditor {
	struct arena *arena;
	const struct audit_input *in;
	struct eval_world *world;
	struct audit *audit;
	struct vec cells;          /* every struct audit_cell *, to be grouped by target */
};

bool
audit_parse_format(const char *text, enum audit_format *out)
{
	static const char *const names[] = { [AUDIT_HTML] = "html", [AUDIT_MARKDOWN] = "markdown",
		[AUDIT_JSON] = "json" };
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(text, names[i]) == 0) {
			if (out)
				*out = (enum audit_format)i;
			return true;
		}
	return false;
}

const char *
audit_state_name(enum audit_state state)
{
	static const char *const names[] = { [AUDIT_ACTIVE] = "active", [AUDIT_EXPIRING] = "expiring",
		[AUDIT_EXPIRED] = "expired" };
	return names[state];
}

const char *
audit_review_text(struct arena *arena, const struct audit *audit, const struct audit_vendor *av)
{
	const char *due = ir_vendor_review_due_text(arena, av->ir, audit->now);
	return due ? arena_printf(arena, "%s, next due %s", av->ir->reviewed, due) : "never";
}

static const char *
provenance_commit_text(struct arena *arena, const struct audit_provenance *p)
{
	if (!p->commit)
		return "not in a git work tree";
	return p->dirty ? arena_printf(arena, "%s, with uncommitted changes", p->commit) : p->commit;
}

static const char *
provenance_backend_text(struct arena *arena, const struct audit_provenance *p)
{
	return arena_printf(arena, "%s, enforce: %s", p->backend, p->enforce);
}

static const char *
provenance_proof_text(struct arena *arena, const struct audit_provenance *p)
{
	return p->proved ? "passed" : arena_printf(arena, "FAILED with %zu error%s", p->proof_errors,
		p->proof_errors == 1 ? "" : "s");
}

void
audit_provenance_facts(struct arena *arena, const struct audit_provenance *p, struct audit_fact *out)
{
	const struct audit_fact facts[AUDIT_PROVENANCE_FACTS] = {
		{ "Access judged at", p->now },
		{ "Project file", p->cluster ? arena_printf(arena, "%s, cluster %s", p->project, p->cluster) : p->project },
		{ "Vendor files at commit", provenance_commit_text(arena, p) },
		{ "Backend", provenance_backend_text(arena, p) },
		{ "Output tree SHA-256", arena_printf(arena, "%s (%zu files)", p->output_hash, p->output_files) },
		{ "Proof (vendorc check)", provenance_proof_text(arena, p) },
		{ "Made by", arena_printf(arena, "vendorc %s", p->version) },
	};
	copy_items(out, facts, AUDIT_PROVENANCE_FACTS, sizeof(*facts));
}

const char *
audit_id(struct arena *arena, const struct audit *audit, const char *id)
{
	return audit->part ? arena_printf(arena, "%s.%s", audit->part, id) : id;
}

const char *
audit_title(struct arena *arena, const struct audit *audit, const char *title)
{
	return audit && audit->part ? arena_printf(arena, "%s: %s", audit->part, title) : title;
}

/* "passed in every cluster", or which clusters' proofs failed. */
static const char *
fleet_proof_text(struct arena *arena, const struct vec *audits)
{
	const char *failed = NULL;
	for (size_t i = 0; i < audits->len; i++) {
		const struct audit *audit = vec_at(audits, i);
		if (!audit->provenance.proved)
			failed = failed ? arena_printf(arena, "%s, %s", failed, audit->part) : audit->part;
	}
	return failed ? arena_printf(arena, "FAILED in %s", failed) : "passed in every cluster";
}

void
audit_fleet_facts(struct arena *arena, const struct audit_report *report, struct audit_fact *out)
{
	const struct audit_provenance *p = &((const struct audit *)vec_at(&report->audits, 0))->provenance;
	const char *names = NULL;
	for (size_t i = 0; i < report->audits.len; i++) {
		const struct audit *audit = vec_at(&report->audits, i);
		names = names ? arena_printf(arena, "%s, %s", names, audit->part) : audit->part;
	}
	const struct audit_fact facts[AUDIT_FLEET_FACTS] = {
		{ "Access judged at", p->now },
		{ "Project file", p->project },
		{ "Clusters", arena_printf(arena, "%zu: %s", report->audits.len, names) },
		{ "Vendor files at commit", provenance_commit_text(arena, p) },
		{ "Proof (vendorc check)", fleet_proof_text(arena, &report->audits) },
		{ "Made by", arena_printf(arena, "vendorc %s", p->version) },
	};
	copy_items(out, facts, AUDIT_FLEET_FACTS, sizeof(*facts));
}

const char *const audit_cluster_columns[AUDIT_CLUSTER_COLUMNS] = {
	"Cluster", "Backend", "Vendors", "Active", "Expiring", "Expired", "Declared flows denied", "Proof",
};

void
audit_cluster_row(struct arena *arena, const struct audit *audit, const char **out)
{
	const struct audit_provenance *p = &audit->provenance;
	const char *const row[AUDIT_CLUSTER_COLUMNS] = {
		audit->part, provenance_backend_text(arena, p), arena_printf(arena, "%zu", audit->vendors.len),
		arena_printf(arena, "%zu", audit->counts[AUDIT_ACTIVE]),
		arena_printf(arena, "%zu", audit->counts[AUDIT_EXPIRING]),
		arena_printf(arena, "%zu", audit->counts[AUDIT_EXPIRED]),
		arena_printf(arena, "%zu", audit->flows_denied), provenance_proof_text(arena, p),
	};
	copy_items(out, row, AUDIT_CLUSTER_COLUMNS, sizeof(*row));
}

void
audit_summary_facts(struct arena *arena, const struct audit *audit, struct audit_fact *out)
{
	const struct audit_fact facts[AUDIT_SUMMARY_FACTS] = {
		{ "Vendors", arena_printf(arena, "%zu", audit->vendors.len) },
		{ "Active", arena_printf(arena, "%zu", audit->counts[AUDIT_ACTIVE]) },
		{ "Expiring", arena_printf(arena, "%zu", audit->counts[AUDIT_EXPIRING]) },
		{ "Expired", arena_printf(arena, "%zu", audit->counts[AUDIT_EXPIRED]) },
		{ "Reviews overdue", arena_printf(arena, "%zu", audit->reviews_overdue) },
		{ "Never reviewed", arena_printf(arena, "%zu", audit->never_reviewed) },
		{ "Namespaces default-denied", arena_printf(arena, "%zu", audit->denied_namespaces.len) },
		{ "Declared flows denied", arena_printf(arena, "%zu", audit->flows_denied) },
	};
	copy_items(out, facts, AUDIT_SUMMARY_FACTS, sizeof(*facts));
}

const char *
audit_summary_note(struct arena *arena, const struct audit *audit)
{
	return arena_printf(arena, "Expiring means access ends within the project's expiry-warning (%s); a "
		"review is overdue when the last one is older than its review-interval (%s).",
		when_format_interval(arena, audit->warning), when_format_interval(arena, audit->review_interval));
}

void
audit_vendor_facts(struct arena *arena, const struct audit *audit, const struct audit_vendor *av,
	struct audit_fact *out)
{
	const struct ir_vendor *v = av->ir;
	const struct audit_fact facts[AUDIT_VENDOR_FACTS] = {
		{ "Owner", v->owner ? v->owner : "none" },
		{ "Ticket", v->ticket ? v->ticket : "none" },
		{ "Justification", v->justification ? v->justification : "none" },
		{ "Reviewed", audit_review_text(arena, audit, av) },
		{ "Access", av->access },
		{ "Pods", av->pods },
		{ "Vendor file", v->source },
	};
	copy_items(out, facts, AUDIT_VENDOR_FACTS, sizeof(*facts));
}

const char *
audit_event_text(const struct history_event *event)
{
	static const char *const texts[] = {
		[HISTORY_VENDOR_ADDED] = "vendor added", [HISTORY_VENDOR_DELETED] = "vendor deleted: all access ended",
		[HISTORY_GRANT_ADDED] = "grant added", [HISTORY_GRANT_CHANGED] = "grant changed",
		[HISTORY_GRANT_REMOVED] = "grant removed", [HISTORY_EXPIRY_CHANGED] = "expiry changed",
	};
	return texts[event->kind];
}

const char *
audit_event_statement(struct arena *arena, const struct history_event *event)
{
	if (event->before && event->grant)
		return arena_printf(arena, "%s -> %s", event->before, event->grant);
	return event->grant ? event->grant : event->before ? event->before : "";
}

/* ---- one flow ---- */

/* The objects that decided a side: the admin tier's ClusterNetworkPolicies
 * and the policy of the NetworkPolicy tier that admitted it. */
static void
side_objects(struct arena *arena, const struct eval_side *side, struct vec *objects)
{
	if (side->passed_by)
		vec_push_unique_string(arena, objects, arena_printf(arena, "ClusterNetworkPolicy %s", side->passed_by->name));
	if (side->cnp && (side->tier == EVAL_TIER_ADMIN || side->tier == EVAL_TIER_BASELINE))
		vec_push_unique_string(arena, objects, arena_printf(arena, "ClusterNetworkPolicy %s", side->cnp->name));
	const char *kind, *policy = eval_side_policy(arena, side, &kind);
	if (policy && side->allowed && side->tier == EVAL_TIER_NETWORKPOLICY)
		vec_push_unique_string(arena, objects, arena_printf(arena, "%s %s", kind, policy));
}

static const char *
ports_text(struct arena *arena, const struct vec *ports)
{
	const char *text = "";
	for (size_t p = 0; p < ports->len; p++)
		text = arena_printf(arena, "%s%s%s", text, p ? ", " : "", ir_port_text(arena, vec_at(ports, p)));
	return text;
}

/* Every port of flow to or from one peer, as the evaluated policies
 * decide it; the sides named are those of the first port denied, else of
 * the first port. */
static struct audit_flow *
evaluate_flow(struct auditor *a, const struct ir_vendor *vendor, const struct ir_flow *flow,
	const struct explain_peer *peer)
{
	struct audit_flow *af = arena_alloc(a->arena, sizeof(*af));
	const struct selector *sel = &vendor->pods.pods;
	struct eval_pod self_pod = { vendor->pods.ns, sel->labels, sel->label_count };
	struct eval_end self = { .pod = &self_pod };
	*af = (struct audit_flow){ .flow = flow, .inbound = flow->dir == IR_INGRESS, .peer = peer->text,
		.ports = ports_text(a->arena, &flow->ports), .allowed = true,
		.source = arena_printf(a->arena, "%s:%u", flow->loc.src ? flow->loc.src->path : vendor->source,
			flow->loc.line),
		.statement = flow->dns ? "DNS, for the names the file uses" : flow->origin };
	for (size_t p = 0; p < flow->ports.len; p++) {
		const struct ir_port *ip = vec_at(&flow->ports, p);
		struct eval_verdict verdict;
		const struct eval_end *src = af->inbound ? &peer->probe : &self, *dst = af->inbound ? &self : &peer->probe;
		eval_connection(a->world, src, dst, &(struct eval_port){ ip->proto, ip->port, ip->name }, &verdict);
		side_objects(a->arena, &verdict.egress, &af->objects);
		side_objects(a->arena, &verdict.ingress, &af->objects);
		if (p == 0 || (af->allowed && !verdict.allowed)) {
			af->egress = eval_side_text(a->arena, &verdict.egress);
			af->ingress = eval_side_text(a->arena, &verdict.ingress);
		}
		af->allowed = af->allowed && verdict.allowed;
	}
	return af;
}

/* ---- the matrix ---- */

/* What a flow reaches, as the vendor file names it. */
static void
flow_target(struct arena *arena, const struct ir_flow *flow, const char **kind, const char **name)
{
	if (flow->dns) {
		*kind = "DNS";
		*name = arena_printf(arena, "%s (%s)", flow->pods.ns, selector_text(arena, &flow->pods.pods));
	} else if (flow->names_service) {
		*kind = "Service";
		*name = flow->peer_written;
	} else if (flow->kind == IR_PEER_PODS) {
		*kind = "pods";
		*name = arena_printf(arena, "%s/%s", flow->pods.ns, selector_text(arena, &flow->pods.pods));
	} else {
		*kind = flow->kind == IR_PEER_DOMAIN ? "domain" : "range";
		*name = flow->domain ? flow->domain : flow->peer_written;
	}
}

/* The vendor's cell for flow's target and direction, made on first use:
 * a vendor has few flows, so a scan of its cells is short. */
static struct audit_cell *
vendor_cell(struct auditor *a, struct audit_vendor *vendor, const struct ir_flow *flow)
{
	const char *kind, *name;
	flow_target(a->arena, flow, &kind, &name);
	bool inbound = flow->dir == IR_INGRESS;
	for (size_t i = 0; i < vendor->cells.len; i++) {
		struct audit_cell *cell = vec_at(&vendor->cells, i);
		if (cell->inbound == inbound && strcmp(cell->target->kind, kind) == 0
			&& strcmp(cell->target->name, name) == 0)
			return cell;
	}
	struct audit_target *stand_in = arena_alloc(a->arena, sizeof(*stand_in));
	*stand_in = (struct audit_target){ .kind = kind, .name = name };
	struct audit_cell *cell = arena_alloc(a->arena, sizeof(*cell));
	*cell = (struct audit_cell){ .vendor = vendor, .target = stand_in, .inbound = inbound, .allowed = true };
	vec_push(a->arena, &vendor->cells, cell);
	vec_push(a->arena, &a->cells, cell);
	return cell;
}

/* A cell's ports are those of its flows, each named once: a Service
 * without a selector is one flow per endpoint address on the same ports. */
static void
add_to_cell(struct auditor *a, struct audit_cell *cell, struct audit_flow *af)
{
	vec_push(a->arena, &cell->flows, af);
	cell->allowed = cell->allowed && af->allowed;
	size_t known = cell->port_texts.len;
	for (size_t p = 0; p < af->flow->ports.len; p++)
		vec_push_unique_string(a->arena, &cell->port_texts, ir_port_text(a->arena, vec_at(&af->flow->ports, p)));
	for (size_t p = known; p < cell->port_texts.len; p++)
		cell->ports = cell->ports ? arena_printf(a->arena, "%s, %s", cell->ports,
			(const char *)vec_at(&cell->port_texts, p)) : vec_at(&cell->port_texts, p);
}

static int
compare_cells(const void *a, const void *b)
{
	const struct audit_cell *x = *(void *const *)a, *y = *(void *const *)b;
	int by = strcmp(x->target->kind, y->target->kind);
	if (!by)
		by = strcmp(x->target->name, y->target->name);
	return by ? by : strcmp(x->vendor->ir->name, y->vendor->ir->name);
}

/* A target of pods: the catalog's own ingress rules for them, so that the
 * view from it answers "who else", as explain --to does. */
static void
catalog_sources(struct auditor *a, struct audit_target *target, const struct audit_flow *af)
{
	const struct ir_flow *flow = af->flow;
	if (flow->kind != IR_PEER_PODS)
		return;
	const struct selector *sel = &flow->pods.pods;
	target->in_cluster = true;
	explain_catalog_sources(a->arena, a->in->catalog,
		&(struct eval_pod){ flow->pods.ns, sel->labels, sel->label_count }, &target->sources);
}

/* The targets from the cells: the cells sorted by target, each run one
 * target, which the cells of the run then point to. */
static void
group_targets(struct auditor *a)
{
	vec_sort(&a->cells, compare_cells);
	struct audit_target *target = NULL;
	for (size_t i = 0; i < a->cells.len; i++) {
		struct audit_cell *cell = vec_at(&a->cells, i);
		if (!target || strcmp(target->kind, cell->target->kind) != 0
			|| strcmp(target->name, cell->target->name) != 0) {
			target = (struct audit_target *)cell->target;
			target->anchor = audit_id(a->arena, a->audit, arena_printf(a->arena, "t%zu",
				a->audit->targets.len + 1));
			catalog_sources(a, target, vec_at(&cell->flows, 0));
			vec_push(a->arena, &a->audit->targets, target);
		}
		cell->target = target;
		vec_push(a->arena, &target->cells, cell);
	}
}

/* ---- vendors ---- */

static enum audit_state
vendor_state(const struct auditor *a, const struct ir_vendor *vendor)
{
	if (vendor->expired)
		return AUDIT_EXPIRED;
	return ir_vendor_ends_within(vendor, a->in->now, a->audit->warning) ? AUDIT_EXPIRING : AUDIT_ACTIVE;
}

static void
audit_vendor(struct auditor *a, const struct ir_vendor *vendor)
{
	struct audit_vendor *av = arena_alloc(a->arena, sizeof(*av));
	const struct selector *sel = &vendor->pods.pods;
	*av = (struct audit_vendor){ .ir = vendor, .state = vendor_state(a, vendor),
		.anchor = audit_id(a->arena, a->audit, arena_printf(a->arena, "v-%s", vendor->name)),
		.pods = probe_end_text(a->arena, &(struct eval_end){ .pod = &(struct eval_pod){
			vendor->pods.ns, sel->labels, sel->label_count } }),
		.access = ir_vendor_access_text(a->arena, vendor),
		.ends = vendor->never_expires ? "never" : when_format(a->arena, vendor->ends_at) };
	av->review_overdue = ir_vendor_review_overdue(vendor, a->in->now);
	a->audit->counts[av->state]++;
	a->audit->reviews_overdue += av->review_overdue;
	a->audit->never_reviewed += !vendor->expired && !vendor->reviewed;
	for (size_t f = 0; f < vendor->flows.len; f++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, f);
		struct audit_cell *cell = vendor_cell(a, av, flow);
		struct vec peers = { 0 };
		explain_flow_peers(a->arena, flow, &peers);
		for (size_t p = 0; p < peers.len; p++) {
			struct audit_flow *af = evaluate_flow(a, vendor, flow, vec_at(&peers, p));
			af->anchor = arena_printf(a->arena, "%s-f%zu", av->anchor, av->flows.len + 1);
			vec_push(a->arena, &av->flows, af);
			add_to_cell(a, cell, af);
			a->audit->flows_denied += !af->allowed;
		}
	}
	vec_push(a->arena, &a->audit->vendors, av);
}

static int
compare_ends(const void *a, const void *b)
{
	const struct audit_vendor *x = *(void *const *)a, *y = *(void *const *)b;
	if (x->ir->ends_at != y->ir->ends_at)
		return x->ir->ends_at < y->ir->ends_at ? -1 : 1;
	return strcmp(x->ir->name, y->ir->name);
}

/* ---- provenance ---- */

static int
compare_files(const void *a, const void *b)
{
	const struct backend_file *x = *(void *const *)a, *y = *(void *const *)b;
	return strcmp(x->name, y->name);
}

const char *
audit_tree_hash(struct arena *arena, const struct vec *files)
{
	struct vec sorted = { 0 };
	vec_append(arena, &sorted, files);
	vec_sort(&sorted, compare_files);
	struct sha256 manifest;
	sha256_init(&manifest);
	for (size_t i = 0; i < sorted.len; i++) {
		const struct backend_file *file = vec_at(&sorted, i);
		struct sha256 content;
		char hex[65];
		sha256_init(&content);
		sha256_update(&content, file->data, file->len);
		sha256_hex(&content, hex);
		const char *line = arena_printf(arena, "%s  %s\n", hex, file->name);
		sha256_update(&manifest, line, strlen(line));
	}
	char *digest = arena_alloc(arena, 65);
	sha256_hex(&manifest, digest);
	return digest;
}

static struct audit_provenance
provenance(struct arena *arena, const struct audit_input *in)
{
	const struct project *project = in->project;
	return (struct audit_provenance){
		.version = VENDORC_VERSION,
		.now = when_format(arena, in->now),
		.project = project->src->path,
		.cluster = project->cluster.name,
		.backend = project->backend == PROJECT_BACKEND_CILIUM ? "cilium" : "networkpolicy",
		.enforce = project->enforce == PROJECT_ENFORCE_ADMIN ? "admin" : "namespace",
		.commit = in->commit,
		.dirty = in->dirty,
		.output_hash = audit_tree_hash(arena, in->files),
		.output_files = in->files->len,
	};
}

struct audit *
audit_build(struct arena *arena, const struct audit_input *in)
{
	struct audit *audit = arena_alloc(arena, sizeof(*audit));
	bool by_name = in->project->backend == PROJECT_BACKEND_CILIUM;
	const struct ir *intent = verify_intent(arena, in->ir, by_name);
	struct auditor a = { arena, in, eval_world_of_catalog(arena, in->catalog, in->emitted), audit, { 0 } };
	verify_add_names(arena, a.world, intent);
	audit->provenance = provenance(arena, in);
	audit->part = in->part ? in->project->cluster.name : NULL;
	audit->now = in->now;
	audit->warning = in->project->expiry_warning;
	audit->review_interval = in->project->review_interval;
	audit->denied_namespaces = in->ir->denied_namespaces;
	for (size_t i = 0; i < intent->vendors.len; i++)
		audit_vendor(&a, vec_at(&intent->vendors, i));
	group_targets(&a);
	vec_append(arena, &audit->by_end, &audit->vendors);
	vec_sort(&audit->by_end, compare_ends);
	coverage_findings(arena, in->ir, in->catalog, in->emitted, &audit->coverage);
	return audit;
}

void
audit_write(FILE *out, struct arena *arena, const struct audit_report *report, enum audit_format format)
{
	if (format == AUDIT_HTML)
		audit_html(out, arena, report);
	else if (format == AUDIT_MARKDOWN)
		audit_markdown(out, arena, report);
	else
		audit_json(out, arena, report);
}
