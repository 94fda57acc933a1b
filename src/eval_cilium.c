/* One Cilium rule against one connection (include/vendorc/eval_cilium.h).
 * The semantics are Cilium's documentation's; each function names the page:
 *   [L3]  docs.cilium.io/en/stable/security/policy/language/ (Layer 3)
 *   [L4]  the same page, Layer 4 (toPorts)
 *   [L7]  docs.cilium.io/en/stable/security/policy/language/ (Layer 7, DNS)
 *   [K8S] docs.cilium.io/en/stable/security/policy/kubernetes/ (namespaces) */
#include "vendorc/eval_cilium.h"

#include <string.h>

/* [K8S] "Namespaces": Cilium gives every pod the label
 * io.kubernetes.pod.namespace, and one io.cilium.k8s.namespace.labels.KEY
 * per label of its namespace, so that selectors can name them. */
void
cilium_identity(struct arena *arena, const struct eval_pod *pod, const struct label *ns_labels,
	size_t ns_count, const struct label **out, size_t *count)
{
	struct label *identity = arena_array(arena, pod->label_count + ns_count + 1, sizeof(*identity));
	copy_items(identity, pod->labels, pod->label_count, sizeof(*identity));
	size_t len = pod->label_count;
	identity[len++] = (struct label){ cilium_namespace_label, pod->ns };
	for (size_t i = 0; i < ns_count; i++)
		identity[len++] = (struct label){
			arena_printf(arena, "%s%s", cilium_namespace_labels_prefix, ns_labels[i].key), ns_labels[i].value };
	*out = identity;
	*count = len;
}

/* [K8S] a CiliumNetworkPolicy applies to pods of its own namespace only,
 * whatever its endpointSelector says; a clusterwide one to any pod. */
bool
cilium_selects(const struct ciliumpol *cp, const char *pod_ns, const struct label *identity,
	size_t identity_count)
{
	if (cp->node_selector || (cp->ns && strcmp(cp->ns, pod_ns) != 0))
		return false;
	return selector_matches(&cp->endpoints, identity, identity_count);
}

/* [K8S] in a namespaced policy, fromEndpoints/toEndpoints that do not say
 * io.kubernetes.pod.namespace mean pods of the policy's namespace. */
static bool
endpoint_matches(const struct selector *sel, const struct ciliumpol *cp, const struct cilium_end *end)
{
	const char *ns = ciliumpol_endpoint_namespace(cp, sel);
	return end->pod && (!ns || strcmp(end->pod->ns, ns) == 0)
		&& selector_matches(sel, end->identity, end->identity_count);
}

/* [L3] "IP/CIDR based": CIDR rules name addresses outside the cluster;
 * "they do not apply to traffic where both sides are endpoints" (pods).
 * A cidrGroupRef names a CiliumCIDRGroup the catalog does not hold. */
static bool
cidr_matches(const struct cilium_cidr *cidr, const struct cilium_end *end)
{
	if (end->pod || cidr->group_ref || !net_cidr_contains(&cidr->cidr, &end->addr))
		return false;
	for (size_t i = 0; i < cidr->except.len; i++)
		if (net_cidr_contains(vec_at(&cidr->except, i), &end->addr))
			return false;
	return true;
}

/* [L3] "Entities based": cluster is every endpoint of the cluster, world
 * every address outside it, all both. host, remote-node and kube-apiserver
 * are nodes and the API server, which are neither pods nor the outside
 * addresses asked about. */
static bool
entities_match(unsigned entities, const struct cilium_end *end)
{
	return entities & (end->pod ? CILIUM_ENTITY_CLUSTER : CILIUM_ENTITY_WORLD);
}

/* A label against a matchPattern label: '*' is any run of the characters
 * a DNS label may hold, and never a dot (Cilium's matchpattern package). */
static bool
glob_label(const char *pattern, size_t plen, const char *label, size_t llen)
{
	if (plen == 0)
		return llen == 0;
	if (*pattern == '*') {
		for (size_t take = 0; take <= llen; take++)
			if (glob_label(pattern + 1, plen - 1, label + take, llen - take))
				return true;
		return false;
	}
	return llen && *pattern == *label && glob_label(pattern + 1, plen - 1, label + 1, llen - 1);
}

static bool
glob_name(const char *pattern, const char *name)
{
	for (;;) {
		size_t plen = strcspn(pattern, "."), nlen = strcspn(name, ".");
		if (!glob_label(pattern, plen, name, nlen))
			return false;
		if (!pattern[plen] || !name[nlen])
			return !pattern[plen] && !name[nlen];
		pattern += plen + 1;
		name += nlen + 1;
	}
}

/* [L3] "DNS based": matchName is one name; matchPattern "*" alone every
 * name, otherwise '*' within a label. A lock's "*.S" is judged as a name
 * one label under S whose label no rule spells out, so that only a
 * pattern covering every such name admits its addresses. */
bool
cilium_name_matches(const struct cilium_name *entry, const char *name)
{
	if (entry->pattern && strcmp(entry->text, "*") == 0)
		return true;
	if (strncmp(name, "*.", 2) == 0)
		return entry->pattern && strncmp(entry->text, "*.", 2) == 0 && glob_name(entry->text + 2, name + 2);
	return entry->pattern ? glob_name(entry->text, name) : strcmp(entry->text, name) == 0;
}

static bool
fqdn_matches(const struct cilium_name *entry, const struct cilium_end *end)
{
	for (size_t i = 0; !end->pod && i < end->name_count; i++)
		if (cilium_name_matches(entry, end->names[i]))
			return true;
	return false;
}

static bool
endpoints_hold(const struct service *svc, const struct net_cidr *addr)
{
	for (size_t g = 0; g < svc->endpoints.len; g++) {
		const struct endpoint_group *group = vec_at(&svc->endpoints, g);
		for (size_t a = 0; a < group->addresses.len; a++)
			if (net_cidr_contains(vec_at(&group->addresses, a), addr))
				return true;
	}
	return false;
}

/* [L3] "Services based": a Service by name stands for its backends: the
 * pods its selector picks, or for a Service without one the addresses of
 * its Endpoints. A k8sServiceSelector picks Services by their labels,
 * which the catalog does not keep: it matches nothing. */
static bool
service_matches(const struct cilium_service *entry, const struct cilium_end *end)
{
	const struct service *svc = entry->name && end->catalog
		? catalog_service(end->catalog, entry->ns, entry->name) : NULL;
	if (!svc)
		return false;
	if (svc->has_selector)
		return end->pod && strcmp(end->pod->ns, svc->ns) == 0
			&& selector_matches(&svc->selector, end->pod->labels, end->pod->label_count);
	return !end->pod && endpoints_hold(svc, &end->addr);
}

/* The place of the peer of rule that names end, counted as
 * ciliumpol_peer_texts lists them (endpoints, ranges, entities, names,
 * Services), or -1. */
static long
matching_peer(const struct cilium_rule *rule, const struct ciliumpol *cp, const struct cilium_end *end)
{
	size_t at = 0;
	for (size_t i = 0; i < rule->endpoints.len; i++, at++)
		if (endpoint_matches(vec_at(&rule->endpoints, i), cp, end))
			return (long)at;
	for (size_t i = 0; i < rule->cidrs.len; i++, at++)
		if (cidr_matches(vec_at(&rule->cidrs, i), end))
			return (long)at;
	if (rule->entities && entities_match(rule->entities, end))
		return (long)at;
	at += rule->entities != 0;
	for (size_t i = 0; i < rule->fqdns.len; i++, at++)
		if (fqdn_matches(vec_at(&rule->fqdns, i), end))
			return (long)at;
	for (size_t i = 0; i < rule->services.len; i++, at++)
		if (service_matches(vec_at(&rule->services, i), end))
			return (long)at;
	return -1;
}

/* [L4] a port of toPorts: protocol ANY or the same, port 0 every port, a
 * range with endPort; a name matches the container port of that name. A
 * named port asked about stands for some number: only "every port" holds
 * it surely. */
static bool
port_matches(const struct cilium_port *entry, const struct eval_port *port)
{
	if (!entry->proto_any && entry->proto != port->proto)
		return false;
	if (!entry->name && port->name)
		return entry->port == 0;
	if (entry->name)
		return port->name && strcmp(entry->name, port->name) == 0;
	if (entry->port == 0)
		return true;
	return entry->end ? port->number >= entry->port && port->number <= entry->end
		: port->number == entry->port;
}

static const struct cilium_port_rule *
matching_port_rule(const struct cilium_rule *rule, const struct eval_port *port)
{
	for (size_t i = 0; i < rule->port_rules.len; i++) {
		const struct cilium_port_rule *item = vec_at(&rule->port_rules, i);
		if (item->ports.len == 0)
			return item;
		for (size_t p = 0; p < item->ports.len; p++)
			if (port_matches(vec_at(&item->ports, p), port))
				return item;
	}
	return NULL;
}

/* [L3]/[L4] a rule with no peer and no toPorts (the documented
 * "ingress: [{}]" default deny) admits nothing; with toPorts alone, every
 * peer on those ports. */
bool
cilium_rule_matches(const struct cilium_rule *rule, const struct ciliumpol *cp,
	const struct cilium_end *end, const struct eval_port *port,
	const struct cilium_port_rule **port_rule)
{
	*port_rule = NULL;
	if (!rule->has_peers && rule->port_rules.len == 0)
		return false;
	if (rule->has_peers && matching_peer(rule, cp, end) < 0)
		return false;
	if (rule->port_rules.len == 0)
		return true;
	*port_rule = matching_port_rule(rule, port);
	return *port_rule != NULL;
}

/* [L7] "a layer 7 request is permitted if at least one of the rules
 * matches"; a port without L7 rules lets every request through, and "if a
 * layer 4 rule is specified ... the layer 7 portions of [a similar rule]
 * will have no effect". */
bool
cilium_dns_admits(const struct cilium_port_rule *port_rule, const char *name)
{
	if (!port_rule || port_rule->dns.len == 0)
		return true;
	for (size_t i = 0; i < port_rule->dns.len; i++)
		if (cilium_name_matches(vec_at(&port_rule->dns, i), name))
			return true;
	return false;
}

const char *
cilium_matching_peer_text(struct arena *arena, const struct ciliumpol *cp,
	const struct cilium_rule *rule, const struct cilium_end *end)
{
	long at = rule->has_peers ? matching_peer(rule, cp, end) : -1;
	if (at < 0)
		return "every peer";
	struct vec texts = { 0 };
	ciliumpol_peer_texts(arena, cp, rule, &texts);
	return vec_at(&texts, (size_t)at);
}
