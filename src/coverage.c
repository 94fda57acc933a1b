#include "vendorc/coverage.h"

#include "vendorc/arena.h"
#include "vendorc/catalog.h"
#include "vendorc/eval.h"
#include "vendorc/ir.h"
#include "vendorc/json.h"
#include "vendorc/probe.h"

#include <string.h>

/* One finding: a section and a line of text. */
struct finding {
	const char *section;
	const char *text;
};

struct coverage {
	struct arena *arena;
	const struct ir *ir;
	const struct catalog *catalog;
	const struct vec *emitted;
	struct eval_world *world;      /* the catalog's policies and vendorc's */
	struct eval_world *own_world;  /* vendorc's alone */
	struct vec findings;
};

static void
add_finding(struct coverage *c, const char *section, const char *text)
{
	struct finding *f = arena_alloc(c->arena, sizeof(*f));
	*f = (struct finding){ section, text };
	vec_push(c->arena, &c->findings, f);
}

/* Whether some policy in ns selects every pod for the direction. */
static bool
denies_all(const struct coverage *c, const char *ns, bool ingress)
{
	const struct vec *sets[] = { &c->catalog->netpols, c->emitted };
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < sets[s]->len; i++) {
			const struct netpol *np = vec_at(sets[s], i);
			if (strcmp(np->ns, ns) == 0 && (ingress ? np->ingress : np->egress)
				&& selector_is_everything(&np->pod_selector))
				return true;
		}
	return false;
}

static void
check_namespaces(struct coverage *c)
{
	struct vec names = { 0 };
	catalog_known_namespaces(c->arena, c->catalog, &names);
	for (size_t i = 0; i < names.len; i++) {
		const char *ns = vec_at(&names, i);
		bool in = denies_all(c, ns, true), out = denies_all(c, ns, false);
		if (!in || !out)
			add_finding(c, "namespaces without a default-deny",
				arena_printf(c->arena, "%s (%s)", ns, !in && !out ? "ingress and egress"
					: !in ? "ingress" : "egress"));
	}
}

static bool
selected_by_any(const struct coverage *c, const struct workload *w)
{
	const struct vec *sets[] = { &c->catalog->netpols, c->emitted };
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < sets[s]->len; i++) {
			const struct netpol *np = vec_at(sets[s], i);
			if (strcmp(np->ns, w->ns) == 0
				&& selector_matches(&np->pod_selector, w->labels, w->label_count))
				return true;
		}
	return false;
}

static void
check_workloads(struct coverage *c)
{
	for (size_t i = 0; i < c->catalog->workloads.len; i++) {
		const struct workload *w = vec_at(&c->catalog->workloads, i);
		if (!selected_by_any(c, w))
			add_finding(c, "workloads no policy selects",
				arena_printf(c->arena, "%s/%s %s", w->ns, w->name, w->kind));
	}
}

/* Whether vendorc's own policies admit the connection on the far side:
 * asked of a world without the catalog's policies, since with them the
 * evaluator names the first admitting policy by rank, which may be a
 * catalog one even where vendorc's grant is there too. */
static bool
vendorc_admits(const struct coverage *c, const struct eval_end *src, const struct eval_end *dst,
	const struct eval_port *port, bool egress)
{
	struct eval_verdict own;
	eval_connection(c->own_world, src, dst, port, &own);
	const struct eval_side *far = egress ? &own.ingress : &own.egress;
	return far->isolated && far->allowed;
}

/* A vendor's flow to or from pods: whether the far side's policies, not
 * vendorc's, decide it. */
static void
check_flow(struct coverage *c, const struct ir_vendor *vendor, const struct ir_flow *flow)
{
	const struct selector *mine = &vendor->pods.pods, *theirs = &flow->pods.pods;
	struct eval_pod self = { vendor->pods.ns, mine->labels, mine->label_count };
	struct eval_pod peer = { flow->pods.ns, theirs->labels, theirs->label_count };
	struct eval_end a = { .pod = &self }, b = { .pod = &peer };
	bool out = flow->dir == IR_EGRESS;
	const struct eval_end *src = out ? &a : &b, *dst = out ? &b : &a;
	for (size_t p = 0; p < flow->ports.len; p++) {
		const struct ir_port *ip = vec_at(&flow->ports, p);
		struct eval_port port = { ip->proto, ip->port, ip->name };
		struct eval_verdict verdict;
		eval_connection(c->world, src, dst, &port, &verdict);
		const struct eval_side *far = out ? &verdict.ingress : &verdict.egress;
		if (!verdict.allowed || vendorc_admits(c, src, dst, &port, out))
			continue;
		add_finding(c, "vendor access that rests on catalog policies",
			arena_printf(c->arena, "%s: %s on %s: %s", vendor->name, flow->origin,
				probe_port_text(c->arena, &port), far->isolated
					? arena_printf(c->arena, "admitted by %s/%s", far->by->ns, far->by->name)
					: "the far side is not isolated"));
		return;
	}
}

static void
check_vendors(struct coverage *c)
{
	for (size_t i = 0; i < c->ir->vendors.len; i++) {
		const struct ir_vendor *vendor = vec_at(&c->ir->vendors, i);
		for (size_t f = 0; f < vendor->flows.len; f++) {
			const struct ir_flow *flow = vec_at(&vendor->flows, f);
			if (flow->kind == IR_PEER_PODS && !flow->dns)
				check_flow(c, vendor, flow);
		}
	}
}

static void
print_findings(FILE *out, const struct vec *findings, enum report_format format)
{
	const char *section = NULL;
	if (format == REPORT_JSON)
		fputs("{\"coverage\":[", out);
	for (size_t i = 0; i < findings->len; i++) {
		const struct finding *f = vec_at(findings, i);
		if (format == REPORT_JSON) {
			fputs(i ? ",{\"section\":" : "{\"section\":", out);
			json_string(out, f->section);
			fputs(",\"finding\":", out);
			json_string(out, f->text);
			fputc('}', out);
			continue;
		}
		if (!section || strcmp(section, f->section) != 0)
			fprintf(out, "%s:\n", f->section);
		section = f->section;
		fprintf(out, "  %s\n", f->text);
	}
	if (format == REPORT_JSON)
		fputs("]}\n", out);
	else if (findings->len == 0)
		fputs("coverage: every namespace default-deny, every workload selected, "
		      "no vendor access resting on catalog policies\n", out);
}

void
coverage_report(FILE *out, struct arena *arena, const struct ir *ir,
	const struct catalog *catalog, const struct vec *emitted, enum report_format format)
{
	struct catalog without_policies = *catalog;
	without_policies.netpols = (struct vec){ 0 };
	struct coverage c = { arena, ir, catalog, emitted,
		eval_world_of_catalog(arena, catalog, emitted, NULL),
		eval_world_of_catalog(arena, &without_policies, emitted, NULL), { 0 } };
	check_namespaces(&c);
	check_workloads(&c);
	check_vendors(&c);
	print_findings(out, &c.findings, format);
}
