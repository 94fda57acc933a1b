/* Backend cilium: the IR as cilium.io/v2 CiliumNetworkPolicies (docs/semantics.md
 * section 3, "Backend cilium"). The same flows as backend_networkpolicy:
 *
 * - per vendor, one policy vendorc-NAME selecting its pods, with an egress
 *   and an ingress rule list; pods as toEndpoints/fromEndpoints (the pod
 *   labels plus Cilium's namespace label), ranges as toCIDRSet/fromCIDRSet,
 *   host names as toFQDNs (matchName, or matchPattern for `*.` wildcards),
 *   each kind of peer in rules of its own: a toFQDNs rule never shares a
 *   rule with toEndpoints or toCIDRSet;
 * - DNS (docs/semantics.md 3.2) as an L7 rule, so that Cilium's DNS proxy sees the
 *   lookups toFQDNs needs and answers only those the vendor needs: its
 *   domains, the Services of each namespace whose pods it reaches
 *   (`*.NS.svc.DOMAIN`, DOMAIN the project's dns.cluster-domain: Cilium's
 *   `*` matches within one DNS label, so exactly SERVICE.NS.svc.DOMAIN),
 *   and by its whole name each Service without a selector it reaches. The
 *   vendor's pods cannot even resolve other names;
 * - the peer-side grants of docs/semantics.md 3.4, as CiliumNetworkPolicies in the
 *   peer's namespace (named and grouped as the NetworkPolicy backend does,
 *   src/backend.c);
 * - the namespace default-deny files, standard NetworkPolicy, shared with
 *   the NetworkPolicy backend (Cilium enforces both kinds together: a flow
 *   passes where any policy of either kind admits it).
 *
 * The lock file plays no part: a domain's locked ranges are not emitted. */

#include "vendorc/backend.h"

#include "vendorc/arena.h"
#include "vendorc/emit.h"
#include "vendorc/ir.h"

#include <string.h>

/* The label Cilium gives every pod for its namespace; endpoint selectors
 * in rules name it to reach pods of another namespace than the policy's. */
static const char namespace_label[] = "k8s:io.kubernetes.pod.namespace";

/* Cilium's CRD allows at most this many ports in one toPorts item. */
enum { PORTS_PER_ITEM = 40 };

struct cnp {
	struct vec egress;      /* struct backend_rule * */
	struct vec ingress;     /* struct backend_rule * */
	struct vec dns;         /* struct backend_rule *: egress to the resolvers */
	struct vec dns_domains; /* const char *: the vendor's domains and selectorless Services, sorted */
	struct vec dns_services; /* const char *: `*.NS.svc.DOMAIN`, sorted */
};

/* ---- rules ---- */

static void
add_flow(struct arena *arena, struct vec *pairs, const struct ir_flow *flow)
{
	switch (flow->kind) {
	case IR_PEER_PODS:
		backend_add_rule(arena, pairs, &(struct backend_peer){ .pods = &flow->pods }, &flow->ports);
		break;
	case IR_PEER_CIDR:
		for (size_t c = 0; c < flow->cidrs.len; c++)
			backend_add_rule(arena, pairs,
				&(struct backend_peer){ .cidr = vec_at(&flow->cidrs, c) }, &flow->ports);
		break;
	case IR_PEER_DOMAIN:
		/* By name, whatever the lock file says. */
		backend_add_rule(arena, pairs, &(struct backend_peer){ .domain = flow->domain },
			&flow->ports);
		break;
	}
}

/* The names the DNS rule admits: the vendor's domains, the name of each
 * Service without a selector it reaches (a name like a domain's), and for
 * each namespace whose pods it reaches, the Services of that namespace. */
static void
dns_names(struct arena *arena, const struct ir *ir, const struct ir_vendor *vendor, struct cnp *cnp)
{
	for (size_t i = 0; i < vendor->flows.len; i++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, i);
		if (flow->dir != IR_EGRESS || flow->dns)
			continue;
		if (flow->kind == IR_PEER_DOMAIN)
			vec_push(arena, &cnp->dns_domains, (void *)flow->domain);
		else if (flow->service_host)
			vec_push(arena, &cnp->dns_domains,
				arena_printf(arena, "%s.%s", flow->service_host, ir->cluster_domain));
		else if (flow->kind == IR_PEER_PODS)
			vec_push(arena, &cnp->dns_services,
				arena_printf(arena, "*.%s.svc.%s", flow->pods.ns, ir->cluster_domain));
	}
	vec_sort_unique(&cnp->dns_domains, vec_compare_strings);
	vec_sort_unique(&cnp->dns_services, vec_compare_strings);
}

/* The vendor as this backend sees it: without DNS when there is no name to
 * look up (it reaches only addresses). A DNS rule with no names would admit
 * every lookup, and the grant on the resolvers' side would serve nothing. */
static const struct ir_vendor *
effective_vendor(struct arena *arena, const struct ir *ir, const struct ir_vendor *vendor,
	struct cnp *cnp)
{
	dns_names(arena, ir, vendor, cnp);
	if (cnp->dns_domains.len || cnp->dns_services.len)
		return vendor;
	struct ir_vendor *copy = arena_alloc(arena, sizeof(*copy));
	*copy = *vendor;
	copy->flows = (struct vec){ 0 };
	for (size_t i = 0; i < vendor->flows.len; i++) {
		struct ir_flow *flow = vec_at(&vendor->flows, i);
		if (!flow->dns)
			vec_push(arena, &copy->flows, flow);
	}
	return copy;
}

static void
vendor_rules(struct arena *arena, const struct ir_vendor *vendor, struct cnp *cnp)
{
	struct vec egress = { 0 }, ingress = { 0 }, dns = { 0 };
	for (size_t i = 0; i < vendor->flows.len; i++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, i);
		add_flow(arena, flow->dns ? &dns : flow->dir == IR_EGRESS ? &egress : &ingress, flow);
	}
	cnp->egress = backend_group_rules(arena, &egress, true);
	cnp->ingress = backend_group_rules(arena, &ingress, true);
	cnp->dns = backend_group_rules(arena, &dns, true);
}

/* ---- YAML ---- */

static void
emit_peer(struct arena *arena, struct emit *e, const struct backend_peer *peer)
{
	if (peer->pods) {
		/* The namespace label first, then the pods' own labels. */
		const struct selector *pods = &peer->pods->pods;
		struct selector sel = *pods;
		sel.label_count = pods->label_count + 1;
		sel.labels = arena_array(arena, sel.label_count, sizeof(*sel.labels));
		sel.labels[0] = (struct label){ namespace_label, peer->pods->ns };
		if (pods->label_count)
			copy_items(sel.labels + 1, pods->labels, pods->label_count, sizeof(*sel.labels));
		backend_emit_selector(e, NULL, &sel);
		return;
	}
	emit_map_begin(e);
	if (peer->cidr)
		emit_field(e, "cidr", net_format_cidr(arena, peer->cidr));
	else
		emit_pair_str(e, strncmp(peer->domain, "*.", 2) == 0 ? "matchPattern" : "matchName",
			peer->domain);
	emit_map_end(e);
}

/* Cilium's ports are strings: a number or a container port's name. */
static void
emit_port(struct arena *arena, struct emit *e, const struct ir_port *port)
{
	emit_map_begin(e);
	emit_field(e, "port", port->name ? port->name : arena_printf(arena, "%d", port->port));
	emit_word(e, "protocol");
	emit_word(e, net_proto_name(port->proto));
	if (port->end)
		emit_pair_int(e, "endPort", port->end);
	emit_map_end(e);
}

static void
emit_dns_rules(struct emit *e, const struct cnp *cnp)
{
	emit_word(e, "rules");
	emit_map_begin(e);
	emit_word(e, "dns");
	emit_seq_begin(e);
	for (size_t i = 0; i < cnp->dns_domains.len; i++) {
		const char *domain = vec_at(&cnp->dns_domains, i);
		emit_map_begin(e);
		emit_pair_str(e, strncmp(domain, "*.", 2) == 0 ? "matchPattern" : "matchName", domain);
		emit_map_end(e);
	}
	for (size_t i = 0; i < cnp->dns_services.len; i++) {
		emit_map_begin(e);
		emit_field(e, "matchPattern", vec_at(&cnp->dns_services, i));
		emit_map_end(e);
	}
	emit_seq_end(e);
	emit_map_end(e);
}

/* One rule: its peers under the key of their kind, then its ports (in
 * items of at most PORTS_PER_ITEM), each item with the DNS rules when dns
 * is given. No ports would mean every port; the IR always gives some. */
static void
emit_rule(struct arena *arena, struct emit *e, const struct backend_rule *rule,
	enum ir_direction dir, const struct cnp *dns)
{
	const struct backend_peer *first = vec_at(&rule->peers, 0);
	bool ingress = dir == IR_INGRESS;
	const char *key = first->pods ? (ingress ? "fromEndpoints" : "toEndpoints")
		: first->cidr ? (ingress ? "fromCIDRSet" : "toCIDRSet")
		: "toFQDNs";
	emit_map_begin(e);
	emit_str(e, key);
	emit_seq_begin(e);
	for (size_t p = 0; p < rule->peers.len; p++)
		emit_peer(arena, e, vec_at(&rule->peers, p));
	emit_seq_end(e);
	if (rule->ports.len) {
		emit_word(e, "toPorts");
		emit_seq_begin(e);
		for (size_t from = 0; from < rule->ports.len; from += PORTS_PER_ITEM) {
			emit_map_begin(e);
			emit_word(e, "ports");
			emit_seq_begin(e);
			for (size_t p = from; p < rule->ports.len && p < from + PORTS_PER_ITEM; p++)
				emit_port(arena, e, vec_at(&rule->ports, p));
			emit_seq_end(e);
			if (dns)
				emit_dns_rules(e, dns);
			emit_map_end(e);
		}
		emit_seq_end(e);
	}
	emit_map_end(e);
}

static void
emit_rule_list(struct arena *arena, struct emit *e, enum ir_direction dir, const struct vec *rules,
	const struct cnp *dns)
{
	size_t dns_count = dns ? dns->dns.len : 0;
	if (rules->len + dns_count == 0)
		return;
	emit_word(e, dir == IR_INGRESS ? "ingress" : "egress");
	emit_seq_begin(e);
	for (size_t i = 0; i < rules->len; i++)
		emit_rule(arena, e, vec_at(rules, i), dir, NULL);
	for (size_t i = 0; i < dns_count; i++)
		emit_rule(arena, e, vec_at(&dns->dns, i), dir, dns);
	emit_seq_end(e);
}

static void
emit_head(struct arena *arena, struct emit *e, const char *name, const char *ns,
	const struct ir_vendor *vendor, const struct vec *grants, const struct selector *pods)
{
	backend_emit_object_begin(arena, e, "cilium.io/v2", "CiliumNetworkPolicy", name, ns, vendor,
		grants);
	emit_word(e, "spec");
	emit_map_begin(e);
	backend_emit_selector(e, "endpointSelector", pods);
}

static void
emit_tail(struct emit *e)
{
	emit_map_end(e);
	backend_emit_object_end(e);
}

static void
emit_vendor_policy(struct arena *arena, struct emit *e, const struct ir_vendor *vendor,
	const struct cnp *cnp)
{
	emit_head(arena, e, arena_printf(arena, "vendorc-%s", vendor->name), vendor->pods.ns, vendor,
		NULL, &vendor->pods.pods);
	emit_rule_list(arena, e, IR_EGRESS, &cnp->egress, cnp);
	emit_rule_list(arena, e, IR_INGRESS, &cnp->ingress, NULL);
	emit_tail(e);
}

/* A grant on the peer's side: the isolated pods admit the vendor's pods
 * (ingress), or for `allow from service` may reach them (egress). */
static void
emit_peer_policy(struct arena *arena, struct emit *e, const struct backend_policy *policy)
{
	emit_head(arena, e, policy->name, policy->ns, policy->vendor, &policy->grants, policy->pods);
	emit_rule_list(arena, e, policy->dir, &policy->rules, NULL);
	emit_tail(e);
}

/* ---- files ---- */

static struct backend_file *
vendor_file(const struct backend_pass *pass, size_t index, struct arena *arena,
	struct arena *scratch)
{
	const struct ir_vendor *ir_vendor = vec_at(&pass->ir->vendors, index);
	struct cnp cnp = { 0 };
	const struct ir_vendor *vendor = effective_vendor(scratch, pass->ir, ir_vendor, &cnp);
	vendor_rules(scratch, vendor, &cnp);
	struct vec peers = { 0 };
	backend_peer_policies(scratch, vendor, &peers);
	bool own = cnp.egress.len || cnp.ingress.len || cnp.dns.len;
	if (!own && peers.len == 0 && ir_vendor->ceiling.len == 0)
		return NULL;
	struct emit *e = emit_create();
	if (e && own)
		emit_vendor_policy(scratch, e, vendor, &cnp);
	for (size_t p = 0; e && p < peers.len; p++)
		emit_peer_policy(scratch, e, vec_at(&peers, p));
	if (e)
		backend_emit_ceiling(scratch, e, &ir_vendor->ceiling, ir_vendor);
	return backend_file_finish(arena, pass->sink, e,
		arena_printf(arena, "vendor-%s.yaml", vendor->name));
}

bool
backend_cilium(struct arena *arena, struct diag_set *diags, const struct ir *ir,
	const struct backend_sink *sink, struct vec *files)
{
	size_t first = files->len;
	struct backend_pass pass = { ir, sink };
	bool ok = backend_namespace_files(arena, diags, &pass, files);
	ok &= backend_parallel_files(arena, diags, ir->vendors.len, vendor_file, &pass, files);
	ok &= backend_kustomization(arena, diags, sink, files, first);
	return ok;
}
