#include "vendorc/coverage.h"

#include "vendorc/arena.h"
#include "vendorc/catalog.h"
#include "vendorc/eval.h"
#include "vendorc/eval_cilium.h"
#include "vendorc/ir.h"
#include "vendorc/json.h"
#include "vendorc/probe.h"

#include <string.h>

struct coverage {
	struct arena *arena;
	const struct ir *ir;
	const struct catalog *catalog;
	const struct vec *emitted;     /* struct netpol * */
	const struct vec *emitted_clusterpols;
	const struct vec *emitted_ciliumpols;
	struct eval_world *world;      /* the catalog's policies and vendorc's */
	struct eval_world *own_world;  /* vendorc's alone */
	struct vec *findings;
	/* The NetworkPolicies (the catalog's and vendorc's) and Cilium
	 * policies ("" clusterwide) by namespace: a namespace or workload is
	 * compared with its own, not with ten thousand vendors' policies. */
	struct text_table netpols_in;
	struct text_table ciliumpols_in;
};

static void
index_policies(struct coverage *c)
{
	const struct vec *netpols[] = { &c->catalog->netpols, c->emitted };
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < netpols[s]->len; i++) {
			struct netpol *np = vec_at(netpols[s], i);
			text_table_push(c->arena, &c->netpols_in, np->ns, np);
		}
	const struct vec *ciliumpols[] = { &c->catalog->ciliumpols, c->emitted_ciliumpols };
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < ciliumpols[s]->len; i++) {
			struct ciliumpol *cp = vec_at(ciliumpols[s], i);
			text_table_push(c->arena, &c->ciliumpols_in, cp->ns ? cp->ns : "", cp);
		}
}

static void
add_finding(struct coverage *c, const char *section, const char *text)
{
	struct coverage_finding *f = arena_alloc(c->arena, sizeof(*f));
	*f = (struct coverage_finding){ section, text };
	vec_push(c->arena, c->findings, f);
}

/* Whether some policy in ns selects every pod for the direction. */
static bool
denies_all(const struct coverage *c, const char *ns, bool ingress)
{
	const struct vec *netpols = text_table_find(&c->netpols_in, ns);
	for (size_t i = 0; netpols && i < netpols->len; i++) {
		const struct netpol *np = vec_at(netpols, i);
		if ((ingress ? np->ingress : np->egress) && selector_is_everything(&np->pod_selector))
			return true;
	}
	const struct vec *ciliumpols = text_table_find(&c->ciliumpols_in, ns);
	for (size_t i = 0; ciliumpols && i < ciliumpols->len; i++) {
		const struct ciliumpol *cp = vec_at(ciliumpols, i);
		if (!cp->node_selector && (ingress ? cp->default_deny_ingress : cp->default_deny_egress)
			&& selector_is_everything(&cp->endpoints))
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

/* Whether rules deny every pod (a peer `namespaces: {}`, every port). */
static bool
denies_every_pod(const struct vec *rules)
{
	for (size_t r = 0; r < rules->len; r++) {
		const struct clusterpol_rule *rule = vec_at(rules, r);
		for (size_t p = 0; rule->action == CLUSTERPOL_DENY && rule->ports.len == 0 && p < rule->peers.len; p++) {
			const struct clusterpol_peer *peer = vec_at(&rule->peers, p);
			if (peer->kind == CLUSTERPOL_PEER_NAMESPACES && selector_is_everything(&peer->namespaces))
				return true;
		}
	}
	return false;
}

/* An Admin policy for the whole namespace that denies every pod both
 * ways: what a NetworkPolicy added there cannot get past. */
static bool
admin_protected(const struct coverage *c, const char *ns)
{
	const struct label *labels;
	size_t count;
	eval_namespace_labels(c->world, ns, &labels, &count);
	const struct vec *sets[] = { &c->catalog->clusterpols, c->emitted_clusterpols };
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < sets[s]->len; i++) {
			const struct clusterpol *cp = vec_at(sets[s], i);
			if (cp->tier == CLUSTERPOL_ADMIN && !cp->subject_pods
				&& selector_matches(&cp->subject_namespaces, labels, count)
				&& denies_every_pod(&cp->ingress_rules) && denies_every_pod(&cp->egress_rules))
				return true;
		}
	return false;
}

/* Only under enforce: admin, where the question is asked at all. */
static void
check_admin_tier(struct coverage *c)
{
	if (!c->ir->admin)
		return;
	struct vec names = { 0 };
	catalog_known_namespaces(c->arena, c->catalog, &names);
	for (size_t i = 0; i < names.len; i++)
		if (!admin_protected(c, vec_at(&names, i)))
			add_finding(c, "namespaces without admin-tier protection (a NetworkPolicy there can open them)",
				vec_at(&names, i));
}

static bool
selected_by_any(const struct coverage *c, const struct workload *w)
{
	const struct vec *netpols = text_table_find(&c->netpols_in, w->ns);
	for (size_t i = 0; netpols && i < netpols->len; i++)
		if (selector_matches(&((const struct netpol *)vec_at(netpols, i))->pod_selector, w->labels,
			w->label_count))
			return true;
	const struct label *ns_labels, *identity;
	size_t ns_count, identity_count;
	eval_namespace_labels(c->world, w->ns, &ns_labels, &ns_count);
	cilium_identity(c->arena, &(struct eval_pod){ w->ns, w->labels, w->label_count }, ns_labels, ns_count,
		&identity, &identity_count);
	const struct vec *ciliumpols[] = { text_table_find(&c->ciliumpols_in, w->ns),
		text_table_find(&c->ciliumpols_in, "") };
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; ciliumpols[s] && i < ciliumpols[s]->len; i++)
			if (cilium_selects(vec_at(ciliumpols[s], i), w->ns, identity, identity_count))
				return true;
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
					? arena_printf(c->arena, "admitted by %s", eval_side_policy(c->arena, far, &(const char *){ NULL }))
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
		const struct coverage_finding *f = vec_at(findings, i);
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
coverage_findings(struct arena *arena, const struct ir *ir, const struct catalog *catalog,
	const struct eval_policies *emitted, struct vec *findings)
{
	struct catalog without_policies = *catalog;
	without_policies.netpols = (struct vec){ 0 };
	without_policies.clusterpols = (struct vec){ 0 };
	without_policies.ciliumpols = (struct vec){ 0 };
	struct coverage c = { arena, ir, catalog, &emitted->netpols, &emitted->clusterpols, &emitted->ciliumpols,
		eval_world_of_catalog(arena, catalog, emitted),
		eval_world_of_catalog(arena, &without_policies, emitted),
		findings, { 0 }, { 0 } };
	index_policies(&c);
	check_namespaces(&c);
	check_admin_tier(&c);
	check_workloads(&c);
	check_vendors(&c);
}

void
coverage_report(FILE *out, struct arena *arena, const struct ir *ir,
	const struct catalog *catalog, const struct eval_policies *emitted, enum report_format format)
{
	struct vec findings = { 0 };
	coverage_findings(arena, ir, catalog, emitted, &findings);
	print_findings(out, &findings, format);
}
