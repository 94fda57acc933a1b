/* `vendorc import`: hand-written NetworkPolicies and CiliumNetworkPolicies
 * as vendor files (import.h, docs/import.md). A CiliumNetworkPolicy is
 * mapped through the NetworkPolicy it reads as (probe_cilium_view), plus
 * what only Cilium says: names, Services by name, L7 and deny rules. */

#include "vendorc/import.h"

#include "vendorc/catalog.h"
#include "vendorc/diag.h"
#include "vendorc/draft.h"
#include "vendorc/init.h"
#include "vendorc/limits.h"
#include "vendorc/net.h"
#include "vendorc/probe.h"
#include "vendorc/project.h"
#include "vendorc/selector.h"
#include "vendorc/source.h"
#include "vendorc/validate.h"
#include "vendorc/ynode.h"

#include <errno.h>
#include <string.h>

struct importer {
	struct arena *arena;
	struct diag_set *diags;
	const struct project *project;
	const struct catalog *catalog;
	const struct import_options *options;
	struct vec netpols;        /* struct netpol *, in file order */
	struct vec ciliumpols;     /* struct ciliumpol *, namespaced, in file order */
	struct vec views;          /* struct cilium_view * */
	struct vec imported;       /* const char *: the namespaces a file is made for, sorted */
};

/* A CiliumNetworkPolicy as the NetworkPolicy it reads as. */
struct cilium_view {
	const struct netpol *view;
	const struct ciliumpol *cp;
};

/* Where a difference from the policies comes from: a rule and its peer
 * (NULL: every peer), and of an ipBlock the range (NULL: all of it). */
struct origin {
	const struct netpol *np;
	const struct netpol_rule *rule;
	const struct netpol_peer *peer;
	const struct net_cidr *range;
	const struct ciliumpol *cp;        /* of a Cilium policy: np is its view */
	const struct cilium_rule *crule;
	enum import_far far;
};

/* One namespace's policies on their way into a vendor file. */
struct vendor_draft {
	struct importer *im;
	const char *ns;
	const struct vec *policies; /* struct netpol *: the namespace's, Cilium's as their views */
	struct draft draft;
	struct vec exceptions;     /* struct import_exception * */
};

/* ---- reading ---- */

static void
read_object(struct importer *im, const struct ynode *object)
{
	const char *kind = ynode_string(ynode_get(object, "kind"));
	if (!kind || (strcmp(kind, "NetworkPolicy") != 0 && strcmp(kind, "CiliumNetworkPolicy") != 0
		&& strcmp(kind, "CiliumClusterwideNetworkPolicy") != 0))
		return;
	struct netpol *np = NULL;
	if (strcmp(kind, "CiliumClusterwideNetworkPolicy") == 0)
		diag_hint(diag_report(im->diags, DIAG_IMPORT_INEXPRESSIBLE, &object->loc,
			"a CiliumClusterwideNetworkPolicy is not imported: it is no one namespace's"),
			"write the access it gives the vendor by hand, then check proves it");
	else if (catalog_is_ours(object))
		diag_hint(diag_report(im->diags, DIAG_IMPORT_INEXPRESSIBLE, &object->loc,
			"a %s vendorc wrote is not imported", kind), "its vendor file is its source");
	else if (strcmp(kind, "CiliumNetworkPolicy") == 0)
		catalog_read_ciliumpol(im->arena, im->diags, object, &im->ciliumpols);
	else
		np = catalog_read_netpol(im->arena, im->diags, object);
	if (np)
		vec_push(im->arena, &im->netpols, np);
}

static void
read_source(struct importer *im, const struct source *src)
{
	struct vec docs = { 0 };
	if (!ynode_load(im->arena, im->diags, src, &docs))
		return;
	for (size_t d = 0; d < docs.len; d++) {
		struct vec objects = { 0 };
		catalog_document_objects(im->arena, im->diags, vec_at(&docs, d), &objects);
		for (size_t i = 0; i < objects.len; i++)
			read_object(im, vec_at(&objects, i));
	}
}

/* ---- what cannot be said ---- */

static void
except(struct vendor_draft *v, enum import_exception_kind kind, const struct origin *from, const char *comment)
{
	struct import_exception *e = arena_alloc(v->im->arena, sizeof(*e));
	*e = (struct import_exception){ kind, from->np, from->rule, from->peer, from->range, from->cp, from->crule,
		from->far, false, comment };
	vec_push(v->im->arena, &v->exceptions, e);
	draft_comment(&v->draft, comment);
}

/* Where to point: at, or for a peer a Cilium policy's view made (which
 * has no place of its own), its rule. */
static const struct loc *
place(const struct origin *from, const struct loc *at)
{
	return at->src || !from->crule ? at : &from->crule->loc;
}

/* A comment in the file and a warning at the rule: never dropped. */
static void
unsaid(struct vendor_draft *v, const struct origin *from, const struct loc *at, const char *what)
{
	struct importer *im = v->im;
	const struct netpol *np = from->np;
	at = place(from, at);
	except(v, IMPORT_NOT_IMPORTED, from, arena_printf(im->arena, "not imported from %s/%s: %s", np->ns, np->name,
		what));
	diag_hint(diag_report(im->diags, DIAG_IMPORT_INEXPRESSIBLE, at, "%s/%s: %s: not imported", np->ns, np->name,
		what), "the vendor file says so in a comment: grant it another way, or leave it out");
}

/* A grant narrower than the rule it comes from: said, so that the
 * difference is never silent. */
static void
narrowed(struct vendor_draft *v, const struct origin *from, const struct loc *at, const char *what)
{
	struct importer *im = v->im;
	const struct netpol *np = from->np;
	at = place(from, at);
	except(v, IMPORT_NARROWED, from, arena_printf(im->arena, "narrowed from %s/%s: %s", np->ns, np->name, what));
	diag_hint(diag_report(im->diags, DIAG_IMPORT_INEXPRESSIBLE, at, "%s/%s: %s", np->ns, np->name, what),
		"the vendor file grants less than the policy did; widen it by hand if the rest was needed");
}

/* ---- ports ---- */

/* The rule's ports as the language writes them ("8080", "53/udp",
 * "8000-8100", "metrics"), or NULL after saying why not. */
static const char **
rule_ports(struct vendor_draft *v, const struct origin *from, bool names_ok)
{
	const struct netpol_rule *rule = from->rule;
	const char **ports = arena_array(v->im->arena, rule->ports.len + 1, sizeof(*ports));
	for (size_t i = 0; i < rule->ports.len; i++) {
		const struct netpol_port *p = vec_at(&rule->ports, i);
		const char *suffix = p->proto == NET_TCP ? "" : p->proto == NET_UDP ? "/udp" : "/sctp";
		if (p->has_proto_only || (p->port_name && !names_ok)) {
			unsaid(v, from, &rule->loc, arena_printf(v->im->arena, "%s (%s)", p->has_proto_only
				? "every port of a protocol" : "a named port to an outside destination",
				netpol_port_text(v->im->arena, p)));
			return NULL;
		}
		ports[i] = p->port_name ? arena_printf(v->im->arena, "%s%s", p->port_name, suffix)
			: p->end_port ? arena_printf(v->im->arena, "%d-%d%s", p->port, p->end_port, suffix)
			: arena_printf(v->im->arena, "%d%s", p->port, suffix);
	}
	return ports;
}

static void
grant_ports(struct vendor_draft *v, const char *head, const char **ports, size_t count)
{
	for (size_t i = 0; i < count; i++)
		draft_grant(&v->draft, head, ports[i]);
}

/* ---- peers ---- */

static bool
in_cluster_ranges(const struct importer *im, const struct net_cidr *cidr)
{
	for (size_t i = 0; i < im->project->cluster_cidrs.len; i++)
		if (net_cidr_overlaps(&((const struct project_cidr *)vec_at(&im->project->cluster_cidrs, i))->cidr, cidr))
			return true;
	return false;
}

/* A deny rule of a Cilium policy that only names ranges, on every port:
 * taken out of the ranges the file grants, as an except is. */
static bool
denies_ranges(const struct cilium_rule *rule)
{
	for (size_t i = 0; i < rule->cidrs.len; i++) {
		const struct cilium_cidr *cidr = vec_at(&rule->cidrs, i);
		if (cidr->group_ref)
			return false;
	}
	return !rule->port_rules.len && rule->cidrs.len && !rule->endpoints.len && !rule->entities && !rule->fqdns.len
		&& !rule->services.len && !rule->unmodelled_peer;
}

/* The peer's except, and of a Cilium policy the ranges its deny rules of
 * the direction take away. */
static const struct vec *
denied_ranges(struct arena *arena, const struct origin *from, bool egress)
{
	if (!from->cp)
		return &from->peer->except;
	struct vec *denied = arena_alloc(arena, sizeof(*denied));
	vec_append(arena, denied, &from->peer->except);
	const struct vec *rules = egress ? &from->cp->egress_deny : &from->cp->ingress_deny;
	for (size_t r = 0; r < rules->len; r++) {
		const struct cilium_rule *rule = vec_at(rules, r);
		for (size_t i = 0; denies_ranges(rule) && i < rule->cidrs.len; i++) {
			const struct cilium_cidr *cidr = vec_at(&rule->cidrs, i);
			net_cidr_subtract(arena, &cidr->cidr, &cidr->except, denied);
		}
	}
	return denied;
}

/* An ipBlock: its except taken out, so the ranges grant no more. */
static void
cidr_peer(struct vendor_draft *v, const struct origin *from, const char *verb)
{
	struct arena *arena = v->im->arena;
	const struct netpol_peer *peer = from->peer;
	if (!from->rule->ports.len) {
		unsaid(v, from, &peer->loc, arena_printf(arena, "%s %s on every port", verb,
			net_format_cidr(arena, &peer->cidr)));
		return;
	}
	const char **ports = rule_ports(v, from, strcmp(verb, "egress") != 0);
	struct vec ranges = { 0 };
	net_cidr_subtract(arena, &peer->cidr, denied_ranges(arena, from, strcmp(verb, "egress") == 0), &ranges);
	for (size_t i = 0; ports && i < ranges.len; i++) {
		const struct net_cidr *range = vec_at(&ranges, i);
		const char *text = net_format_cidr(arena, range);
		struct origin part = *from;
		part.range = range;
		if (range->prefix == 0 || in_cluster_ranges(v->im, range))
			unsaid(v, &part, &peer->loc, arena_printf(arena, "%s %s, %s", verb, text, range->prefix == 0
				? "every address" : "which holds addresses of the cluster's pods or Services"));
		else
			grant_ports(v, arena_printf(arena, "%s %s", verb, text), ports, from->rule->ports.len);
	}
}

/* The catalog Service that selects exactly the peer's pods, or NULL. */
static const struct service *
service_of(const struct importer *im, const char *ns, const struct selector *pods)
{
	for (size_t i = 0; i < im->catalog->services.len; i++) {
		const struct service *svc = vec_at(&im->catalog->services, i);
		if (strcmp(svc->ns, ns) == 0 && svc->has_selector && selector_compare(&svc->selector, pods) == 0)
			return svc;
	}
	return NULL;
}

/* The Service's ports that reach every port of the rule, or NULL. */
static const char **
service_ports(struct importer *im, const struct service *svc, const struct netpol_rule *rule)
{
	const char **ports = arena_array(im->arena, rule->ports.len + 1, sizeof(*ports));
	for (size_t i = 0; i < rule->ports.len; i++) {
		const struct netpol_port *p = vec_at(&rule->ports, i);
		int number = p->end_port || p->has_proto_only ? 0 : catalog_service_port(svc, p->proto, p->port, p->port_name);
		if (!number)
			return NULL;
		ports[i] = draft_service_port(im->arena, svc, p->proto, number);
	}
	return ports;
}

static bool
is_dns(const struct netpol_rule *rule, const char *ns)
{
	if (strcmp(ns, "kube-system") != 0 || !rule->ports.len)
		return false;
	for (size_t i = 0; i < rule->ports.len; i++)
		if (((const struct netpol_port *)vec_at(&rule->ports, i))->port != 53)
			return false;
	return true;
}

/* The DNS Service, whose pods compile lets every vendor reach. */
static bool
serves_dns(const struct service *svc)
{
	for (size_t i = 0; i < svc->ports.len; i++)
		if (((const struct service_port *)vec_at(&svc->ports, i))->port == 53)
			return true;
	return false;
}

/* To pods: through the Service that selects exactly them, on its ports
 * (every port of it for a rule without ports), else `allow pods`. */
static void
egress_pods(struct vendor_draft *v, const struct origin *from, const char *ns)
{
	struct arena *arena = v->im->arena;
	const struct netpol *np = from->np;
	const struct netpol_rule *rule = from->rule;
	const struct selector *pods = &from->peer->pod_selector;
	const struct service *svc = service_of(v->im, ns, pods);
	const char **ports = svc ? service_ports(v->im, svc, rule) : NULL;
	const char *head = svc ? arena_printf(arena, "allow service %s/%s", svc->ns, svc->name) : NULL;
	if (is_dns(rule, ns) && svc && serves_dns(svc))
		draft_comment(&v->draft, arena_printf(arena, "%s/%s: DNS to %s, which compile adds", np->ns, np->name, ns));
	else if (is_dns(rule, ns))
		narrowed(v, from, &rule->loc, arena_printf(arena, "port 53 of %s of %s, written as the DNS compile adds",
			selector_pods_text(arena, pods), ns));
	else if (svc && !rule->ports.len) {
		draft_grant(&v->draft, head, NULL);
		narrowed(v, from, &rule->loc, arena_printf(arena, "every port of %s of %s, written as every port of "
			"Service %s/%s", selector_pods_text(arena, pods), ns, svc->ns, svc->name));
	}
	else if (ports)
		grant_ports(v, head, ports, rule->ports.len);
	else if (!pods->label_count || pods->expr_count || !rule->ports.len)
		unsaid(v, from, &from->peer->loc, arena_printf(arena, "egress to %s of %s%s",
			selector_pods_text(arena, pods), ns, rule->ports.len ? "" : " on every port"));
	else if ((ports = rule_ports(v, from, true)))
		grant_ports(v, arena_printf(arena, "allow pods %s in %s", selector_text(arena, pods), ns), ports,
			rule->ports.len);
}

/* From pods: `allow from service` names them by the Service that selects
 * exactly them. */
static void
ingress_pods(struct vendor_draft *v, const struct origin *from, const char *ns)
{
	struct arena *arena = v->im->arena;
	const struct netpol_rule *rule = from->rule;
	const struct selector *pods = &from->peer->pod_selector;
	const struct service *svc = service_of(v->im, ns, pods);
	const char **ports = NULL;
	if (!svc || !rule->ports.len)
		unsaid(v, from, &from->peer->loc, arena_printf(arena, "ingress from %s of %s%s",
			selector_pods_text(arena, pods), ns, !svc
				? ", which no Service of the catalog selects exactly" : " on every port"));
	else if ((ports = rule_ports(v, from, true)))
		grant_ports(v, arena_printf(arena, "allow from service %s/%s", svc->ns, svc->name), ports, rule->ports.len);
}

static void
rule_peer(struct vendor_draft *v, const struct origin *from, bool egress)
{
	const struct netpol_peer *peer = from->peer;
	const char *ns = peer->has_cidr ? NULL : netpol_peer_namespace(from->np, peer);
	if (peer->has_cidr)
		cidr_peer(v, from, egress ? "egress" : "allow from");
	else if (!ns)
		unsaid(v, from, &peer->loc, arena_printf(v->im->arena, "%s %s, wider than one namespace",
			egress ? "egress to" : "ingress from", netpol_peer_text(v->im->arena, peer, from->np->ns)));
	else if (vec_find(&v->im->imported, ns, vec_string_order))
		/* compile grants no vendor's pods to another vendor, nor traffic
		 * within a vendor's namespace */
		unsaid(v, from, &peer->loc, arena_printf(v->im->arena, "%s %s of %s, %s", egress ? "egress to" : "ingress "
			"from", selector_pods_text(v->im->arena, &peer->pod_selector), ns, strcmp(ns, v->ns) == 0
			? "within the vendor's own namespace" : "another vendor's namespace"));
	else
		(egress ? egress_pods : ingress_pods)(v, from, ns);
}

static bool
others_isolate(const struct vendor_draft *v, const struct netpol *np, bool egress)
{
	for (size_t i = 0; i < v->policies->len; i++) {
		const struct netpol *other = vec_at(v->policies, i);
		if (other != np && (egress ? other->egress : other->ingress))
			return true;
	}
	return false;
}

/* Rules of a direction policyTypes leaves out were never in force. Where
 * no other policy isolates that direction the pods were open there, and
 * the rules are imported as meant; where one does, what they name was
 * denied, and they are left out. Either way it is said. True: left out. */
static bool
out_of_force(struct vendor_draft *v, const struct netpol *np, const struct vec *rules, bool egress)
{
	if (!rules->len || (egress ? np->egress : np->ingress))
		return false;
	const char *dir = egress ? "egress" : "ingress", *type = egress ? "Egress" : "Ingress";
	bool left_out = others_isolate(v, np, egress);
	draft_comment(&v->draft, arena_printf(v->im->arena, "%s/%s: its %s rules were not in force (policyTypes leaves "
		"%s out): %s", np->ns, np->name, dir, type, left_out ? "not imported, as other policies isolate it"
		: "imported as written"));
	diag_hint(diag_report(v->im->diags, DIAG_IMPORT_INEXPRESSIBLE, &((const struct netpol_rule *)vec_at(rules, 0))->loc,
		"%s/%s: its %s rules were not in force: policyTypes leaves %s out", np->ns, np->name, dir, type),
		left_out ? "what they name stayed denied, and the vendor file does not grant it"
		: "the vendor file grants them: leave them out if they were not meant");
	return left_out;
}

static void
rule_peers(struct vendor_draft *v, const struct origin *rule, bool egress)
{
	for (size_t p = 0; p < rule->rule->peers.len; p++) {
		struct origin from = *rule;
		from.peer = vec_at(&rule->rule->peers, p);
		rule_peer(v, &from, egress);
	}
}

static void
policy_rules(struct vendor_draft *v, const struct netpol *np, const struct vec *rules, bool egress)
{
	if (out_of_force(v, np, rules, egress))
		return;
	for (size_t r = 0; r < rules->len; r++) {
		const struct netpol_rule *rule = vec_at(rules, r);
		if (!rule->peers.len)
			unsaid(v, &(struct origin){ .np = np, .rule = rule }, &rule->loc,
				egress ? "egress to every destination" : "ingress from every source");
		rule_peers(v, &(struct origin){ .np = np, .rule = rule }, egress);
	}
}

/* ---- Cilium policies ---- */

static const struct ciliumpol *
cilium_of(const struct importer *im, const struct netpol *np)
{
	for (size_t i = 0; i < im->views.len; i++) {
		const struct cilium_view *view = vec_at(&im->views, i);
		if (view->view == np)
			return view->cp;
	}
	return NULL;
}

/* The rule's ports as a NetworkPolicy's, protocol ANY as TCP (said by
 * the caller); none: every port. */
static struct netpol_rule *
cilium_ports(struct arena *arena, const struct netpol_rule *view, const struct cilium_rule *rule, bool *any)
{
	struct netpol_rule *ported = arena_alloc(arena, sizeof(*ported));
	*ported = *view;
	ported->ports = (struct vec){ 0 };
	for (size_t i = 0; i < rule->port_rules.len; i++) {
		const struct cilium_port_rule *item = vec_at(&rule->port_rules, i);
		for (size_t k = 0; k < item->ports.len; k++) {
			const struct cilium_port *entry = vec_at(&item->ports, k);
			struct netpol_port *port = arena_alloc(arena, sizeof(*port));
			*port = (struct netpol_port){ .proto = entry->proto_any ? NET_TCP : entry->proto,
				.port = entry->name ? 0 : entry->port, .port_name = entry->name, .end_port = entry->end,
				.has_proto_only = !entry->name && !entry->port };
			*any |= entry->proto_any && (entry->port || entry->name);
			vec_push(arena, &ported->ports, port);
		}
	}
	return ported;
}

static void
cilium_name(struct vendor_draft *v, const struct origin *from, const struct cilium_name *name)
{
	struct arena *arena = v->im->arena;
	const char *text = name->pattern ? arena_printf(arena, "matchPattern %s", name->text) : name->text;
	bool sayable = !validate_domain(name->pattern && strncmp(name->text, "*.", 2) == 0 ? name->text + 2 : name->text)
		&& (!name->pattern || (strncmp(name->text, "*.", 2) == 0 && !strchr(name->text + 2, '*')));
	const char **ports = NULL;
	struct origin outside = *from;
	outside.far = IMPORT_FAR_OUTSIDE;
	if (!sayable || !from->rule->ports.len)
		unsaid(v, &outside, &from->crule->loc, arena_printf(arena, "egress to name %s%s", text, sayable
			? " on every port" : ", which a vendor file cannot name"));
	else if ((ports = rule_ports(v, from, false)))
		grant_ports(v, arena_printf(arena, "egress %s", name->text), ports, from->rule->ports.len);
}

static void
cilium_service(struct vendor_draft *v, const struct origin *from, const struct cilium_service *named)
{
	struct arena *arena = v->im->arena;
	const struct service *svc = named->name ? catalog_service(v->im->catalog, named->ns, named->name) : NULL;
	const char **ports = svc ? service_ports(v->im, svc, from->rule) : NULL;
	const char *head = svc ? arena_printf(arena, "allow service %s/%s", svc->ns, svc->name) : NULL;
	if (!svc)
		unsaid(v, from, &from->crule->loc, named->name ? arena_printf(arena, "toServices %s/%s, which the "
			"catalog does not hold", named->ns, named->name) : "toServices by label selector");
	else if (!from->rule->ports.len)
		draft_grant(&v->draft, head, NULL);
	else if (ports)
		grant_ports(v, head, ports, from->rule->ports.len);
	else
		unsaid(v, from, &from->crule->loc, arena_printf(arena, "toServices %s/%s on ports it does not map",
			svc->ns, svc->name));
}

/* What the view does not carry: names, Services, the peers vendorc does
 * not model, and L7 rules (whose connections the grant keeps, but not the
 * requests they filter). */
static void
cilium_extras(struct vendor_draft *v, const struct origin *from)
{
	struct arena *arena = v->im->arena;
	const struct cilium_rule *rule = from->crule;
	for (size_t i = 0; i < rule->fqdns.len; i++)
		cilium_name(v, from, vec_at(&rule->fqdns, i));
	for (size_t i = 0; i < rule->services.len; i++)
		cilium_service(v, from, vec_at(&rule->services, i));
	struct origin outside = *from;
	outside.far = IMPORT_FAR_OUTSIDE;
	for (size_t i = 0; i < rule->cidrs.len; i++) {
		const struct cilium_cidr *cidr = vec_at(&rule->cidrs, i);
		if (cidr->group_ref)
			unsaid(v, &outside, &rule->loc, arena_printf(arena, "the CiliumCIDRGroup %s", cidr->group_ref));
	}
	unsigned other = rule->entities & ~(unsigned)(CILIUM_ENTITY_WORLD | CILIUM_ENTITY_CLUSTER);
	if (other || rule->unmodelled_peer)
		unsaid(v, from, &rule->loc, other ? "entities other than world and cluster (host, remote-node, "
			"kube-apiserver, ...)" : "toGroups, toNodes, fromNodes or toRequires, which vendorc does not model");
	for (size_t i = 0; i < rule->port_rules.len; i++)
		if (((const struct cilium_port_rule *)vec_at(&rule->port_rules, i))->l7) {
			const struct netpol *np = from->np;
			draft_comment(&v->draft, arena_printf(arena, "%s/%s: its L7 rules are not imported: the grants let "
				"every request through", np->ns, np->name));
			diag_hint(diag_report(v->im->diags, DIAG_IMPORT_INEXPRESSIBLE, &rule->loc, "%s/%s: an L7 rule (http, "
				"kafka): not imported", np->ns, np->name),
				"the vendor file grants the connection, not the requests the rule filtered");
			return;
		}
}

/* Deny rules take away from what other rules grant: a vendor file only
 * grants, so what they denied is said, and the proof shows whether the
 * file grants any of it. */
static void
cilium_denies(struct vendor_draft *v, const struct netpol *np, const struct vec *rules, const char *kind)
{
	for (size_t r = 0; r < rules->len; r++) {
		const struct cilium_rule *rule = vec_at(rules, r);
		if (denies_ranges(rule)) {
			draft_comment(&v->draft, arena_printf(v->im->arena, "%s/%s: an %s rule, taken out of the ranges granted",
				np->ns, np->name, kind));
			continue;
		}
		draft_comment(&v->draft, arena_printf(v->im->arena, "%s/%s: an %s rule, not imported: a vendor file only "
			"grants", np->ns, np->name, kind));
		diag_hint(diag_report(v->im->diags, DIAG_IMPORT_INEXPRESSIBLE, &rule->loc, "%s/%s: an %s rule: not "
			"imported", np->ns, np->name, kind), "what it denied stays denied unless a line of the file grants it");
	}
}

static void
cilium_rules(struct vendor_draft *v, const struct netpol *view, const struct ciliumpol *cp, bool egress)
{
	const struct vec *rules = egress ? &cp->egress : &cp->ingress;
	const struct vec *viewed = egress ? &view->egress_rules : &view->ingress_rules;
	for (size_t r = 0; r < rules->len; r++) {
		const struct cilium_rule *crule = vec_at(rules, r);
		bool any = false;
		struct origin from = { .np = view, .cp = cp, .crule = crule };
		from.rule = cilium_ports(v->im->arena, vec_at(viewed, r), crule, &any);
		if (!crule->has_peers)
			unsaid(v, &from, &crule->loc, egress ? "egress to every destination" : "ingress from every source");
		rule_peers(v, &from, egress);
		cilium_extras(v, &from);
		from.far = IMPORT_FAR_NOT_TCP;
		if (any && crule->has_peers)
			narrowed(v, &from, &crule->loc, arena_printf(v->im->arena, "%s rule %zu: protocol ANY, written as TCP",
				egress ? "egress" : "ingress", r + 1));
	}
	cilium_denies(v, view, egress ? &cp->egress_deny : &cp->ingress_deny, egress ? "egressDeny" : "ingressDeny");
}

/* ---- a namespace ---- */

static bool
grants_something(const struct netpol *np)
{
	return np->ingress_rules.len || np->egress_rules.len;
}

/* The pods the policies that grant are about: one selector for all, or
 * the namespace alone and a comment naming each. A policy without rules
 * only isolates, as the default-deny will. */
static const char *
runs_in_text(struct vendor_draft *v, const struct vec *policies)
{
	struct arena *arena = v->im->arena;
	const struct netpol *first = NULL;
	bool same = true;
	for (size_t i = 0; i < policies->len; i++) {
		const struct netpol *np = vec_at(policies, i);
		if (grants_something(np) && !first)
			first = np;
		else if (grants_something(np))
			same &= selector_compare(&first->pod_selector, &np->pod_selector) == 0;
	}
	const struct selector *sel = first ? &first->pod_selector : NULL;
	if (!sel || (same && !sel->expr_count))
		return sel && sel->label_count ? arena_printf(arena, "runs in %s where %s", v->ns, selector_text(arena, sel))
			: arena_printf(arena, "runs in %s", v->ns);
	for (size_t i = 0; i < policies->len; i++) {
		const struct netpol *np = vec_at(policies, i);
		if (!grants_something(np))
			continue;
		except(v, IMPORT_WHOLE_NAMESPACE, &(struct origin){ .np = np, .cp = cilium_of(v->im, np) }, arena_printf(arena,
			"widened from %s/%s: its podSelector (%s), written as the whole namespace", np->ns, np->name,
			selector_pods_text(arena, &np->pod_selector)));
		diag_hint(diag_report(v->im->diags, DIAG_IMPORT_INEXPRESSIBLE, &np->loc, "%s/%s: its podSelector (%s) is "
			"not the vendor's pods: written as the whole namespace", np->ns, np->name,
			selector_pods_text(arena, &np->pod_selector)),
			"the vendor file says so in a comment: split the vendor, or narrow `runs in` by hand");
	}
	return arena_printf(arena, "runs in %s", v->ns);
}

/* Pods no policy isolated in a direction were open there; the namespace's
 * default-deny closes them to all the file does not grant: said, since
 * adopting changes it. */
static bool
isolates(const struct importer *im, const struct netpol *np, bool egress)
{
	const struct ciliumpol *cp = cilium_of(im, np);
	bool covers = cp ? (egress ? cp->default_deny_egress : cp->default_deny_ingress) : egress ? np->egress : np->ingress;
	return covers && !np->pod_selector.label_count && !np->pod_selector.expr_count;
}

static void
isolation(struct vendor_draft *v, const struct vec *policies, bool egress)
{
	for (size_t i = 0; i < policies->len; i++)
		if (isolates(v->im, vec_at(policies, i), egress))
			return;
	struct arena *arena = v->im->arena;
	const struct netpol *first = vec_at(policies, 0);
	const char *dir = egress ? "egress" : "ingress";
	struct import_exception *e = arena_alloc(arena, sizeof(*e));
	*e = (struct import_exception){ .kind = IMPORT_UNISOLATED, .egress = egress, .what = arena_printf(arena,
		"no policy of %s isolated all its pods for %s: the default-deny now denies what this file does not grant",
		v->ns, dir) };
	vec_push(arena, &v->exceptions, e);
	draft_comment(&v->draft, e->what);
	diag_hint(diag_report(v->im->diags, DIAG_IMPORT_INEXPRESSIBLE, &first->loc, "%s: no policy isolates every pod "
		"for %s: with vendorc, its default-deny does", v->ns, dir),
		"pods there were open to all %s; the vendor file grants only what the policies named", dir);
}

static const char *
vendor_name(struct importer *im, const char *ns, const struct netpol *first)
{
	const char *name = im->options->vendor ? im->options->vendor
		: strncmp(ns, "vendor-", 7) == 0 && ns[7] ? ns + 7 : ns;
	const char *why = validate_dns_label(name);
	if (why)
		diag_hint(diag_report(im->diags, DIAG_BAD_NAME, &first->loc, "vendor name \"%s\" is %s", name, why),
			"name the vendor with --vendor NAME: lower-case letters, digits and '-'");
	return why ? NULL : name;
}

/* Each CiliumNetworkPolicy as its view, once; one that selects nodes has
 * none, and no pods of a namespace to import. */
static void
make_views(struct importer *im)
{
	for (size_t i = 0; i < im->ciliumpols.len; i++) {
		const struct ciliumpol *cp = vec_at(&im->ciliumpols, i);
		struct cilium_view *view = arena_alloc(im->arena, sizeof(*view));
		*view = (struct cilium_view){ probe_cilium_view(im->arena, cp), cp };
		if (view->view)
			vec_push(im->arena, &im->views, view);
		else
			diag_hint(diag_report(im->diags, DIAG_IMPORT_INEXPRESSIBLE, &cp->loc, "%s/%s selects nodes, not pods: "
				"not imported", cp->ns, cp->name), "a vendor's access is its pods'");
	}
}

/* The namespace's policies, its CiliumNetworkPolicies as their views. */
static struct vec *
namespace_policies(struct importer *im, const char *ns)
{
	struct vec *policies = arena_alloc(im->arena, sizeof(*policies));
	for (size_t i = 0; i < im->netpols.len; i++)
		if (strcmp(((const struct netpol *)vec_at(&im->netpols, i))->ns, ns) == 0)
			vec_push(im->arena, policies, vec_at(&im->netpols, i));
	for (size_t i = 0; i < im->views.len; i++) {
		const struct cilium_view *view = vec_at(&im->views, i);
		if (strcmp(view->view->ns, ns) == 0)
			vec_push(im->arena, policies, (void *)view->view);
	}
	return policies;
}

static bool
import_namespace(struct importer *im, const char *ns, struct vec *files)
{
	const struct vec *policies = namespace_policies(im, ns);
	struct vendor_draft v = { im, ns, policies, { im->arena, { 0 }, { 0 } }, { 0 } };
	const char *name = vendor_name(im, ns, vec_at(policies, 0));
	if (!name)
		return false;
	const char *runs_in = runs_in_text(&v, policies);
	isolation(&v, policies, true);
	isolation(&v, policies, false);
	bool netpols = false, cilium = false;
	for (size_t i = 0; i < policies->len; i++) {
		const struct netpol *np = vec_at(policies, i);
		const struct ciliumpol *cp = cilium_of(im, np);
		cilium |= cp != NULL;
		netpols |= cp == NULL;
		if (cp) {
			cilium_rules(&v, np, cp, true);
			cilium_rules(&v, np, cp, false);
		} else {
			policy_rules(&v, np, &np->egress_rules, true);
			policy_rules(&v, np, &np->ingress_rules, false);
		}
	}
	const char *identity = arena_printf(im->arena, "owner %s\nticket %s\nexpires %s\njustification %s",
		draft_quote(im->arena, init_placeholder_owner), draft_quote(im->arena, init_placeholder_ticket),
		init_placeholder_expires, draft_quote(im->arena, init_placeholder_justification));
	struct import_file *file = arena_alloc(im->arena, sizeof(*file));
	file->vendor = name;
	file->ns = ns;
	file->exceptions = v.exceptions;
	file->text = draft_file(&v.draft, im->diags, arena_printf(im->arena, "# Imported by vendorc import from the "
		"%s of namespace %s: set expires, then review every line.\n", !cilium ? "NetworkPolicies" : !netpols
		? "CiliumNetworkPolicies" : "NetworkPolicies and CiliumNetworkPolicies", ns), name, identity, runs_in,
		&file->len);
	if (file->text)
		vec_push(im->arena, files, file);
	return file->text != NULL;
}

static bool
wanted(const struct import_options *options, const char *ns)
{
	for (size_t i = 0; i < options->namespace_count; i++)
		if (strcmp(options->namespaces[i], ns) == 0)
			return true;
	return options->namespace_count == 0;
}

bool
import_sources(struct arena *arena, struct diag_set *diags, const struct project *project,
	const struct catalog *catalog, const struct vec *sources, const struct import_options *options,
	struct import_result *result)
{
	struct importer im = { arena, diags, project, catalog, options, { 0 }, { 0 }, { 0 }, { 0 } };
	for (size_t i = 0; i < sources->len; i++)
		read_source(&im, vec_at(sources, i));
	if (diag_has_errors(diags))
		return false;
	vec_sort(&im.netpols, netpol_compare);
	vec_sort(&im.ciliumpols, ciliumpol_compare);
	result->policies = im.netpols;
	result->ciliumpols = im.ciliumpols;
	make_views(&im);
	struct vec namespaces = { 0 };
	for (size_t i = 0; i < im.netpols.len; i++)
		vec_push(arena, &namespaces, (void *)((const struct netpol *)vec_at(&im.netpols, i))->ns);
	for (size_t i = 0; i < im.views.len; i++)
		vec_push(arena, &namespaces, (void *)((const struct cilium_view *)vec_at(&im.views, i))->view->ns);
	vec_sort_unique(&namespaces, vec_compare_strings);
	for (size_t i = 0; i < namespaces.len; i++)
		if (wanted(options, vec_at(&namespaces, i)))
			vec_push(arena, &im.imported, vec_at(&namespaces, i));
	for (size_t i = 0; i < im.imported.len; i++)
		if (!import_namespace(&im, vec_at(&im.imported, i), &result->files))
			return false;
	if (!result->files.len)
		diag_hint(diag_report(diags, DIAG_CATALOG_BAD_OBJECT, NULL, "no NetworkPolicy or CiliumNetworkPolicy of %s in the files",
			options->namespace_count ? "the namespaces named" : "any namespace"),
			"give the policy files, or a dump: kubectl get networkpolicies -A -o yaml");
	return !diag_has_errors(diags);
}

bool
import_policies(struct arena *arena, struct diag_set *diags, const struct project *project,
	const struct catalog *catalog, const struct import_options *options, struct import_result *result)
{
	struct vec sources = { 0 };
	for (size_t i = 0; i < options->file_count; i++) {
		bool missing;
		const char *path = options->files[i];
		struct source *src = source_read(arena, diags, path, path, LIMIT_CATALOG_FILE_SIZE, NULL, &missing);
		if (missing)
			diag_report(diags, DIAG_IO_ERROR, NULL, "cannot read \"%s\": %s", path, strerror(ENOENT));
		if (src)
			vec_push(arena, &sources, src);
	}
	return !diag_has_errors(diags) && import_sources(arena, diags, project, catalog, &sources, options, result);
}
