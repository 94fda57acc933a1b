/* `vendorc observe`: the review of observed traffic against the vendor
 * files (observe.h, docs/observe.md). Every flow from or to a vendor's
 * pods is judged once: the grant of the file that covers it (the intent,
 * as check proves it), and for what no grant covers the evaluator's
 * verdict on the policies check evaluates, naming who decided. Findings
 * are gathered per flow, then sorted and merged, so a large export costs
 * n log n. */

#include "vendorc/observe.h"

#include "vendorc/catalog.h"
#include "vendorc/ir.h"
#include "vendorc/json.h"
#include "vendorc/probe.h"
#include "vendorc/verify.h"
#include "vendorc/when.h"

#include <stdlib.h>
#include <string.h>

enum finding_kind { FINDING_WIDENED, FINDING_DROPPED, FINDING_DENIED, FINDING_KINDS };

static const char *const finding_names[FINDING_KINDS] = { "widened", "dropped", "denied" };

/* One flow that no grant explains, or that a grant explains but the
 * cluster dropped; merged with its like (same vendor, kind, ends, port). */
struct finding {
	size_t vendor;             /* index into the review's vendors */
	enum finding_kind kind;
	const char *from, *to, *port;
	const struct ir_flow *flow; /* DROPPED: the grant */
	const char *decided_by;    /* the evaluator on the policies check evaluates */
	size_t flows;
	int64_t first, last;
};

/* How often one port of one grant was used. */
struct grant_use {
	size_t flows;
	int64_t last;
};

struct vendor_review {
	const struct ir_vendor *vendor;
	size_t index;              /* in the review's vendors */
	struct grant_use **uses;   /* [flow][port] */
};

struct review {
	struct arena *arena;
	const struct observe_input *in;
	struct eval_world *world;
	struct vec vendors;        /* struct vendor_review *, as the intent orders them */
	struct vec by_ns;          /* the same, sorted by the vendor's namespace */
	struct vec findings;       /* struct finding * */
	size_t in_period, before_since, of_no_vendor;
	int64_t first, last;       /* the period's flows */
};

/* ---- whose pods ---- */

static int
review_ns_order(const void *key, const void *item)
{
	return strcmp(key, ((const struct vendor_review *)item)->vendor->pods.ns);
}

static int
compare_review_ns(const void *a, const void *b)
{
	return review_ns_order((*(const struct vendor_review *const *)a)->vendor->pods.ns, *(const void *const *)b);
}

static struct vendor_review *
vendor_of(const struct review *r, const struct flow_end *end)
{
	if (!end->ns)
		return NULL;
	size_t first, last;
	vec_equal_range(&r->by_ns, end->ns, review_ns_order, &first, &last);
	for (size_t i = first; i < last; i++) {
		struct vendor_review *v = vec_at(&r->by_ns, i);
		if (selector_matches(&v->vendor->pods.pods, end->labels, end->label_count))
			return v;
	}
	return NULL;
}

static void
add_vendor(struct review *r, const struct ir_vendor *vendor)
{
	struct vendor_review *v = arena_alloc(r->arena, sizeof(*v));
	v->vendor = vendor;
	v->index = r->vendors.len;
	v->uses = arena_array(r->arena, vendor->flows.len + 1, sizeof(*v->uses));
	for (size_t f = 0; f < vendor->flows.len; f++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, f);
		v->uses[f] = arena_array(r->arena, flow->ports.len + 1, sizeof(**v->uses));
	}
	vec_push(r->arena, &r->vendors, v);
	vec_push(r->arena, &r->by_ns, v);
}

/* ---- one flow ---- */

static struct eval_end
eval_end_of(struct arena *arena, const struct flow_end *end)
{
	if (!end->ns)
		return (struct eval_end){ .addr = end->addr };
	struct eval_pod *pod = arena_alloc(arena, sizeof(*pod));
	*pod = (struct eval_pod){ end->ns, end->labels, end->label_count };
	return (struct eval_end){ .pod = pod };
}

/* The container port's name of the workload whose pods these are, for a
 * grant by port name (NULL: none the catalog shows). */
static const char *
port_name_of(const struct catalog *catalog, const struct flow_end *end, enum net_proto proto, int number)
{
	for (size_t i = 0; end->ns && i < catalog->workloads.len; i++) {
		const struct workload *w = vec_at(&catalog->workloads, i);
		struct selector template = { w->labels, w->label_count, NULL, 0 };
		if (strcmp(w->ns, end->ns) != 0 || !w->label_count
			|| !selector_matches(&template, end->labels, end->label_count))
			continue;
		for (size_t p = 0; p < w->ports.len; p++) {
			const struct container_port *cp = vec_at(&w->ports, p);
			if (cp->number == number && cp->proto == proto && cp->name)
				return cp->name;
		}
	}
	return NULL;
}

/* The port as the policies may name it: by number, and by the name the
 * destination's container gives it. */
struct seen_port {
	struct eval_port number, name;
};

static struct seen_port
seen_port(const struct review *r, const struct flow_record *rec)
{
	struct seen_port p = { { rec->proto, rec->port, NULL }, { rec->proto, 0, NULL } };
	p.name.name = port_name_of(r->in->catalog, &rec->dst, rec->proto, rec->port);
	return p;
}

static const struct ir_flow *
grant_of(const struct ir_vendor *vendor, enum ir_direction dir, const struct eval_end *peer, const char *name,
	const struct seen_port *port, size_t *port_index)
{
	const struct ir_flow *flow = probe_declared_port(vendor, dir, peer, name, &port->number, port_index);
	if (!flow && port->name.name)
		flow = probe_declared_port(vendor, dir, peer, name, &port->name, port_index);
	return flow;
}

static const char *
verdict_text(struct review *r, const struct eval_end *src, const struct eval_end *dst, const struct seen_port *port)
{
	struct eval_verdict verdict;
	eval_connection(r->world, src, dst, &port->number, &verdict);
	if (!verdict.allowed && port->name.name)
		eval_connection(r->world, src, dst, &port->name, &verdict);
	return arena_printf(r->arena, "%s: egress: %s; ingress: %s", verdict.allowed ? "allowed" : "denied",
		eval_side_text(r->arena, &verdict.egress), eval_side_text(r->arena, &verdict.ingress));
}

static void
add_finding(struct review *r, struct vendor_review *v, enum finding_kind kind, const struct flow_record *rec,
	const struct ir_flow *flow, const char *decided_by)
{
	struct finding *f = arena_alloc(r->arena, sizeof(*f));
	struct eval_end src = eval_end_of(r->arena, &rec->src), dst = eval_end_of(r->arena, &rec->dst);
	*f = (struct finding){ v->index, kind, probe_end_text(r->arena, &src),
		rec->dst.name && !rec->dst.ns ? arena_printf(r->arena, "%s (%s)", rec->dst.name,
			probe_end_text(r->arena, &dst)) : probe_end_text(r->arena, &dst),
		probe_port_text(r->arena, &(struct eval_port){ rec->proto, rec->port, NULL }), flow, decided_by, 1,
		rec->time, rec->time };
	vec_push(r->arena, &r->findings, f);
}

/* The flow from the side of one vendor: its grant in that direction, used
 * or dropped, or a finding with the evaluator's word. */
static void
judge_side(struct review *r, struct vendor_review *v, enum ir_direction dir, const struct flow_record *rec)
{
	struct eval_end src = eval_end_of(r->arena, &rec->src), dst = eval_end_of(r->arena, &rec->dst);
	const struct flow_end *peer = dir == IR_EGRESS ? &rec->dst : &rec->src;
	struct eval_end peer_end = dir == IR_EGRESS ? dst : src;
	struct seen_port port = seen_port(r, rec);
	size_t p;
	const struct ir_flow *flow = grant_of(v->vendor, dir, &peer_end, peer->name, &port, &p);
	if (flow && rec->verdict == FLOW_FORWARDED) {
		size_t f = 0;
		while (vec_at(&v->vendor->flows, f) != flow)
			f++;
		struct grant_use *use = &v->uses[f][p];
		use->flows++;
		if (use->flows == 1 || rec->time > use->last)
			use->last = rec->time;
		return;
	}
	enum finding_kind kind = flow ? FINDING_DROPPED : rec->verdict == FLOW_FORWARDED ? FINDING_WIDENED
		: FINDING_DENIED;
	add_finding(r, v, kind, rec, flow, verdict_text(r, &src, &dst, &port));
}

static void
judge(struct review *r, const struct flow_record *rec)
{
	if (r->in->has_since && rec->time < r->in->since) {
		r->before_since++;
		return;
	}
	if (!r->in_period++ || rec->time < r->first)
		r->first = rec->time;
	if (r->in_period == 1 || rec->time > r->last)
		r->last = rec->time;
	struct vendor_review *from = vendor_of(r, &rec->src), *to = vendor_of(r, &rec->dst);
	if (from)
		judge_side(r, from, IR_EGRESS, rec);
	if (to)
		judge_side(r, to, IR_INGRESS, rec);
	r->of_no_vendor += !from && !to;
}

/* ---- merging ---- */

static int
compare_findings(const void *a, const void *b)
{
	const struct finding *x = *(const struct finding *const *)a, *y = *(const struct finding *const *)b;
	if (x->vendor != y->vendor)
		return x->vendor < y->vendor ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	int c = strcmp(x->from, y->from);
	if (!c)
		c = strcmp(x->to, y->to);
	if (!c)
		c = strcmp(x->port, y->port);
	return c ? c : (x->first > y->first) - (x->first < y->first);
}

/* Findings alike as one, counted, the first and last time seen; the
 * evaluator's word is the same for all (the same ends, port, policies). */
static void
merge_findings(struct review *r)
{
	vec_sort(&r->findings, compare_findings);
	size_t kept = 0;
	for (size_t i = 0; i < r->findings.len; i++) {
		struct finding *f = vec_at(&r->findings, i), *prev = kept ? vec_at(&r->findings, kept - 1) : NULL;
		if (prev && prev->vendor == f->vendor && prev->kind == f->kind && !strcmp(prev->from, f->from)
			&& !strcmp(prev->to, f->to) && !strcmp(prev->port, f->port)) {
			prev->flows++;
			prev->last = f->last > prev->last ? f->last : prev->last;
			continue;
		}
		r->findings.items[kept++] = f;
	}
	r->findings.len = kept;
}

static bool
wanted(const struct observe_input *in, const struct ir_vendor *vendor)
{
	return !in->vendor || strcmp(in->vendor, vendor->name) == 0;
}

static void
review_build(struct review *r, struct arena *arena, const struct observe_input *in)
{
	*r = (struct review){ .arena = arena, .in = in };
	const struct ir *intent = verify_intent(arena, in->ir, in->by_name);
	r->world = eval_world_of_catalog(arena, in->catalog, in->emitted);
	verify_add_names(arena, r->world, intent);
	for (size_t i = 0; i < intent->vendors.len; i++)
		add_vendor(r, vec_at(&intent->vendors, i));
	vec_sort(&r->by_ns, compare_review_ns);
	for (size_t i = 0; i < in->log->records.len; i++)
		judge(r, vec_at(&in->log->records, i));
	merge_findings(r);
}

/* ---- the report ---- */

static const char *
grant_source(struct arena *arena, const struct ir_vendor *vendor, const struct ir_flow *flow)
{
	return arena_printf(arena, "%s:%u", flow->loc.src ? flow->loc.src->path : vendor->source, flow->loc.line);
}

static const char *
grant_statement(const struct ir_flow *flow)
{
	return flow->dns ? "DNS, for the names the file uses" : flow->origin;
}

/* A port that reads as the one before it (a Service's port reached through
 * both its Endpoints and its EndpointSlices): grants find the first, so
 * the report shows it once. */
static bool
repeated_port(struct arena *arena, const struct ir_flow *flow, size_t p)
{
	return p && strcmp(ir_port_text(arena, vec_at(&flow->ports, p)), ir_port_text(arena, vec_at(&flow->ports, p - 1))) == 0;
}

struct tally {
	size_t used, unused, kinds[FINDING_KINDS];
};

static void
text_grants(FILE *out, struct review *r, const struct vendor_review *v, struct tally *t)
{
	const struct ir_vendor *vendor = v->vendor;
	for (size_t f = 0; f < vendor->flows.len; f++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, f);
		for (size_t p = 0; p < flow->ports.len; p++) {
			const struct grant_use *use = &v->uses[f][p];
			const char *port = ir_port_text(r->arena, vec_at(&flow->ports, p));
			if (repeated_port(r->arena, flow, p))
				continue;
			const char *where = grant_source(r->arena, vendor, flow);
			if (use->flows)
				fprintf(out, "  used: %s %s, %s: %zu flow%s, last %s\n", where, grant_statement(flow), port,
					use->flows, use->flows == 1 ? "" : "s", when_format(r->arena, use->last));
			else if (!flow->dns)
				fprintf(out, "  unused: %s %s, %s: no flow in the period, a candidate to remove at review\n",
					where, grant_statement(flow), port);
			t->used += use->flows != 0;
			t->unused += !use->flows && !flow->dns;
		}
	}
}

static void
text_finding(FILE *out, struct review *r, const struct vendor_review *v, const struct finding *f)
{
	fprintf(out, "  %s: from %s to %s, %s: %zu flow%s, %s", finding_names[f->kind], f->from, f->to, f->port,
		f->flows, f->flows == 1 ? "" : "s", when_format(r->arena, f->first));
	if (f->last != f->first)
		fprintf(out, " to %s", when_format(r->arena, f->last));
	if (f->kind == FINDING_DROPPED)
		fprintf(out, "; %s %s grants it, the cluster dropped it (%s)\n", grant_source(r->arena, v->vendor, f->flow),
			grant_statement(f->flow), f->decided_by);
	else if (f->kind == FINDING_WIDENED)
		fprintf(out, "; the file does not grant it, yet it was allowed (%s)\n", f->decided_by);
	else
		fprintf(out, "; the file does not grant it (%s)\n", f->decided_by);
}

/* From next on, the first finding of the i-th vendor or a later one. */
static size_t
first_finding(const struct review *r, size_t next, size_t i)
{
	while (next < r->findings.len && ((const struct finding *)vec_at(&r->findings, next))->vendor < i)
		next++;
	return next;
}

static void
text_header(FILE *out, struct review *r)
{
	const struct flow_log *log = r->in->log;
	fprintf(out, "%s: %zu flows (%s), %zu skipped (replies, other protocols or verdicts, ends Hubble did not name)",
		r->in->path, log->records.len, log->csv ? "CSV" : "Hubble JSON", log->skipped);
	if (r->in->has_since)
		fprintf(out, ", %zu before %s", r->before_since, when_format(r->arena, r->in->since));
	if (r->in_period)
		fprintf(out, "; the period: %s to %s", when_format(r->arena, r->first), when_format(r->arena, r->last));
	fprintf(out, "; %zu of no vendor\n", r->of_no_vendor);
}

static void
print_text(FILE *out, struct review *r)
{
	text_header(out, r);
	struct tally t = { 0 };
	size_t next = 0, shown = 0;
	for (size_t i = 0; i < r->vendors.len; i++) {
		const struct vendor_review *v = vec_at(&r->vendors, i);
		next = first_finding(r, next, i);
		if (!wanted(r->in, v->vendor))
			continue;
		shown++;
		fprintf(out, "\nvendor %s (%s, %s)\n", v->vendor->name, v->vendor->source,
			ir_vendor_access_text(r->arena, v->vendor));
		for (; next < r->findings.len && ((const struct finding *)vec_at(&r->findings, next))->vendor == i; next++) {
			const struct finding *f = vec_at(&r->findings, next);
			text_finding(out, r, v, f);
			t.kinds[f->kind]++;
		}
		text_grants(out, r, v, &t);
	}
	fprintf(out, "\n%zu vendor%s: %zu grants used, %zu unused; %zu denied, %zu widened, %zu dropped though granted\n",
		shown, shown == 1 ? "" : "s", t.used, t.unused, t.kinds[FINDING_DENIED], t.kinds[FINDING_WIDENED],
		t.kinds[FINDING_DROPPED]);
}

/* ---- JSON ---- */

static void
json_member(FILE *out, const char *key, const char *value)
{
	fprintf(out, ",\"%s\":", key);
	json_string(out, value);
}

static void
json_grants(FILE *out, struct review *r, const struct vendor_review *v, bool used)
{
	const struct ir_vendor *vendor = v->vendor;
	bool first = true;
	fprintf(out, ",\"%s\":[", used ? "used" : "unused");
	for (size_t f = 0; f < vendor->flows.len; f++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, f);
		for (size_t p = 0; p < flow->ports.len; p++) {
			const struct grant_use *use = &v->uses[f][p];
			if ((use->flows != 0) != used || (!used && flow->dns) || repeated_port(r->arena, flow, p))
				continue;
			fputs(first ? "{\"source\":" : ",{\"source\":", out);
			first = false;
			json_string(out, grant_source(r->arena, vendor, flow));
			json_member(out, "statement", grant_statement(flow));
			json_member(out, "port", ir_port_text(r->arena, vec_at(&flow->ports, p)));
			if (used) {
				fprintf(out, ",\"flows\":%zu", use->flows);
				json_member(out, "last", when_format(r->arena, use->last));
			}
			fputc('}', out);
		}
	}
	fputc(']', out);
}

static void
json_finding(FILE *out, struct review *r, const struct vendor_review *v, const struct finding *f, bool first)
{
	fputs(first ? "{\"kind\":" : ",{\"kind\":", out);
	json_string(out, finding_names[f->kind]);
	json_member(out, "from", f->from);
	json_member(out, "to", f->to);
	json_member(out, "port", f->port);
	fprintf(out, ",\"flows\":%zu", f->flows);
	json_member(out, "first", when_format(r->arena, f->first));
	json_member(out, "last", when_format(r->arena, f->last));
	json_member(out, "decided_by", f->decided_by);
	if (f->flow) {
		json_member(out, "source", grant_source(r->arena, v->vendor, f->flow));
		json_member(out, "statement", grant_statement(f->flow));
	}
	fputc('}', out);
}

static void
print_json(FILE *out, struct review *r)
{
	const struct flow_log *log = r->in->log;
	fputs("{\"flows\":{\"file\":", out);
	json_string(out, r->in->path);
	json_member(out, "format", log->csv ? "csv" : "hubble");
	fprintf(out, ",\"read\":%zu,\"skipped\":%zu,\"before_since\":%zu,\"of_no_vendor\":%zu", log->records.len,
		log->skipped, r->before_since, r->of_no_vendor);
	json_member(out, "since", r->in_period ? when_format(r->arena, r->first) : NULL);
	json_member(out, "until", r->in_period ? when_format(r->arena, r->last) : NULL);
	fputs("},\"vendors\":[", out);
	size_t next = 0;
	bool first_vendor = true;
	for (size_t i = 0; i < r->vendors.len; i++) {
		const struct vendor_review *v = vec_at(&r->vendors, i);
		next = first_finding(r, next, i);
		if (!wanted(r->in, v->vendor))
			continue;
		fputs(first_vendor ? "{\"vendor\":" : ",{\"vendor\":", out);
		first_vendor = false;
		json_string(out, v->vendor->name);
		json_member(out, "file", v->vendor->source);
		json_member(out, "access", ir_vendor_access_text(r->arena, v->vendor));
		fputs(",\"findings\":[", out);
		for (size_t first = next; next < r->findings.len
			&& ((const struct finding *)vec_at(&r->findings, next))->vendor == i; next++)
			json_finding(out, r, v, vec_at(&r->findings, next), next == first);
		fputc(']', out);
		json_grants(out, r, v, true);
		json_grants(out, r, v, false);
		fputc('}', out);
	}
	fputs("]}\n", out);
}

bool
observe_review(FILE *out, struct arena *arena, const struct observe_input *in, enum report_format format)
{
	struct review r;
	review_build(&r, arena, in);
	(format == REPORT_JSON ? print_json : print_text)(out, &r);
	for (size_t i = 0; i < r.findings.len; i++) {
		const struct finding *f = vec_at(&r.findings, i);
		if (f->kind != FINDING_DENIED && wanted(in, ((const struct vendor_review *)vec_at(&r.vendors, f->vendor))->vendor))
			return true;
	}
	return false;
}
