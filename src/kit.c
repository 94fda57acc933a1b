#include "vendorc/kit.h"

#include "vendorc/catalog.h"
#include "vendorc/explain.h"
#include "vendorc/ir.h"
#include "vendorc/json.h"
#include "vendorc/net.h"
#include "vendorc/probe.h"
#include "vendorc/verify.h"
#include "vendorc/when.h"

#include <stdlib.h>
#include <string.h>

/* What the kit runs carries this label besides the labels of the pods it
 * stands for, so that it is found and cleaned up; the evaluator judges the
 * pods with it, exactly as they run. */
#define KIT_LABEL "vendorc.io/probe"

/* Where the attacker's first tries go: never anywhere real. */
static const char outside_address[] = "192.0.2.1";      /* TEST-NET-1 */
static const char other_resolver[] = "198.51.100.53";   /* TEST-NET-2 */
static const char undeclared_name[] = "undeclared.vendorc-probe.invalid";
/* The namespace of the kit's own sources, which no vendor file grants. */
static const char probe_namespace[] = "vendorc-probe";

static const char *const kind_names[KIT_KINDS] = {
	[KIT_DECLARED] = "declared", [KIT_PORT_OFF] = "port-off", [KIT_NEIGHBOUR] = "neighbour",
	[KIT_OTHER_SERVICE] = "other-service", [KIT_OUTSIDE] = "outside", [KIT_DOMAIN] = "domain",
	[KIT_OTHER_DNS] = "other-dns", [KIT_UNRELATED] = "unrelated", [KIT_EXPIRED] = "expired",
};

const char *
kit_kind_name(enum kit_kind kind)
{
	return kind_names[kind];
}

struct kitter {
	struct arena *arena;
	const struct kit_input *in;
	struct eval_world *world;
	struct kit *kit;
	struct vec listeners;      /* struct listener *: one per pod the kit stands in for */
};

/* ---- ends ---- */

static int
compare_labels(const void *a, const void *b)
{
	return strcmp(((const struct label *)a)->key, ((const struct label *)b)->key);
}

/* Pods of ns with labels, as the evaluator judges a workload's. */
static struct eval_pod *
pods_of(struct arena *arena, const char *ns, const struct selector *sel)
{
	struct eval_pod *pod = arena_alloc(arena, sizeof(*pod));
	*pod = (struct eval_pod){ ns, sel->labels, sel->label_count };
	return pod;
}

/* The pod the kit runs for labels in ns: those labels and its own, in
 * key order as the evaluator reads them. */
static struct eval_pod *
kit_pod(struct arena *arena, const char *ns, const struct label *labels, size_t count, const char *role)
{
	struct label *all = arena_array(arena, count + 1, sizeof(*all));
	if (count)
		memcpy(all, labels, count * sizeof(*labels));
	all[count] = (struct label){ KIT_LABEL, role };
	qsort(all, count + 1, sizeof(*all), compare_labels);
	struct eval_pod *pod = arena_alloc(arena, sizeof(*pod));
	*pod = (struct eval_pod){ ns, all, count + 1 };
	return pod;
}

static struct kit_end
source_end(struct kitter *k, const char *ns, const struct label *labels, size_t count)
{
	struct kit_end end = { .end.pod = kit_pod(k->arena, ns, labels, count, "source") };
	end.text = probe_end_text(k->arena, &end.end);
	return end;
}

static struct kit_end
vendor_source(struct kitter *k, const struct ir_vendor *vendor)
{
	const struct selector *sel = &vendor->pods.pods;
	return source_end(k, vendor->pods.ns, sel->labels, sel->label_count);
}

bool
kit_same_pod(const struct eval_pod *a, const struct eval_pod *b)
{
	if (strcmp(a->ns, b->ns) != 0 || a->label_count != b->label_count)
		return false;
	for (size_t i = 0; i < a->label_count; i++)
		if (strcmp(a->labels[i].key, b->labels[i].key) != 0 || strcmp(a->labels[i].value, b->labels[i].value) != 0)
			return false;
	return true;
}

/* A listener: the pods it stands for, and itself, whose kit label is its
 * name (the kit's headless Service finds it by that). */
struct listener {
	struct eval_pod stands_for;
	struct kit_end end;
};

/* A listener of the kit with labels in ns, one per label set, numbered in
 * the order the cases first need them. */
static struct kit_end
listener_end(struct kitter *k, const char *ns, const struct label *labels, size_t count)
{
	struct eval_pod wanted = { ns, labels, count };
	for (size_t i = 0; i < k->listeners.len; i++) {
		const struct listener *known = vec_at(&k->listeners, i);
		if (kit_same_pod(&known->stands_for, &wanted))
			return known->end;
	}
	struct listener *l = arena_alloc(k->arena, sizeof(*l));
	const char *name = arena_printf(k->arena, "vendorc-probe-l%zu", k->listeners.len + 1);
	l->stands_for = wanted;
	l->end = (struct kit_end){ .end.pod = kit_pod(k->arena, ns, labels, count, name), .listener = name };
	l->end.text = probe_end_text(k->arena, &l->end.end);
	vec_push(k->arena, &k->listeners, l);
	return l->end;
}

/* An outside end, reached at host (a domain) or at the address itself. */
static struct kit_end
address_end(struct kitter *k, const struct net_cidr *addr, const char *host)
{
	struct kit_end end = { .end.addr = *addr };
	end.end.addr.prefix = addr->family == 4 ? 32 : 128;
	end.text = net_format_cidr(k->arena, &end.end.addr);
	end.host = host ? host : net_format_address(k->arena, &end.end.addr);
	return end;
}

/* Where a probe reaches pods on port: a Service that selects them, else
 * the kit's listener with their labels. */
static struct kit_end
pods_end(struct kitter *k, const struct eval_pod *pods, const struct eval_port *port)
{
	const struct service *service = catalog_service_for(k->in->catalog, pods->ns, pods->labels, pods->label_count,
		port->proto, port->number, port->name);
	if (!service)
		return listener_end(k, pods->ns, pods->labels, pods->label_count);
	struct kit_end end = { .end.pod = pods, .host = arena_printf(k->arena, "%s.%s.svc", service->name, service->ns),
		.host_port = catalog_service_port(service, port->proto, port->number, port->name) };
	end.text = probe_end_text(k->arena, &end.end);
	return end;
}

/* ---- cases ---- */

static const char *
decided_text(struct arena *arena, const struct eval_verdict *verdict)
{
	return arena_printf(arena, "egress: %s; ingress: %s", eval_side_text(arena, &verdict->egress),
		eval_side_text(arena, &verdict->ingress));
}

static struct kit_case *
add_case(struct kitter *k, const struct ir_vendor *vendor, enum kit_kind kind, const struct kit_end *from,
	const struct kit_end *to, const struct eval_port *port, const char *source, const char *statement)
{
	struct kit_case *c = arena_alloc(k->arena, sizeof(*c));
	*c = (struct kit_case){ .number = k->kit->cases.len + 1, .vendor = vendor->name, .kind = kind,
		.from = *from, .to = *to, .port = *port, .source = source, .statement = statement };
	if (!c->to.host_port)
		c->to.host_port = port->number;
	struct eval_verdict verdict;
	eval_connection(k->world, &from->end, &to->end, port, &verdict);
	c->expect_allowed = verdict.allowed;
	c->decided_by = decided_text(k->arena, &verdict);
	vec_push(k->arena, &k->kit->cases, c);
	return c;
}

static const char *
flow_source(struct arena *arena, const struct ir_vendor *vendor, const struct ir_flow *flow)
{
	return arena_printf(arena, "%s:%u", flow->loc.src ? flow->loc.src->path : vendor->source, flow->loc.line);
}

static const char *
runs_in_source(struct arena *arena, const struct ir_vendor *vendor)
{
	return arena_printf(arena, "%s:%u", vendor->source, vendor->loc.line);
}

static bool
flow_grants(const struct ir_flow *flow, enum net_proto proto, int number)
{
	for (size_t p = 0; p < flow->ports.len; p++) {
		const struct ir_port *ip = vec_at(&flow->ports, p);
		if (ip->proto == proto && !ip->name && number >= ip->port && number <= (ip->end ? ip->end : ip->port))
			return true;
	}
	return false;
}

/* The port just past an allowed one (or a range), or just before it at the
 * top; 0 for a named port, which has no neighbour. */
static int
port_off(const struct ir_flow *flow, const struct ir_port *ip)
{
	if (ip->name)
		return 0;
	int above = (ip->end ? ip->end : ip->port) + 1, below = ip->port - 1;
	if (above <= 65535 && !flow_grants(flow, ip->proto, above))
		return above;
	return below >= 1 && !flow_grants(flow, ip->proto, below) ? below : 0;
}

/* The two ends of flow with one peer: the vendor's source and the peer's
 * end on port, or for a flow into the vendor the peer's source and the
 * vendor's listener. An outside source cannot be run: NULL. */
static bool
flow_ends(struct kitter *k, const struct ir_vendor *vendor, const struct ir_flow *flow,
	const struct explain_peer *peer, const struct eval_port *port, struct kit_end *from, struct kit_end *to)
{
	const struct selector *sel = &vendor->pods.pods;
	if (flow->dir == IR_INGRESS) {
		if (!peer->probe.pod)
			return false;
		*from = source_end(k, peer->probe.pod->ns, peer->probe.pod->labels, peer->probe.pod->label_count);
		*to = listener_end(k, vendor->pods.ns, sel->labels, sel->label_count);
		return true;
	}
	*from = vendor_source(k, vendor);
	if (peer->probe.pod)
		*to = pods_end(k, peer->probe.pod, port);
	else
		*to = address_end(k, &peer->probe.addr, peer->by_name || flow->domain ? flow->domain : NULL);
	return true;
}

/* A flow's cases with one peer on one port (a range: on its first and
 * last), and one port off it, which reaches the peer's pods directly (a
 * Service has no such port). */
static void
port_cases(struct kitter *k, const struct ir_vendor *vendor, const struct ir_flow *flow,
	const struct explain_peer *peer, const struct ir_port *ip, enum kit_kind kind)
{
	struct eval_port port = { ip->proto, ip->port, ip->name };
	struct kit_end from, to;
	if (!flow_ends(k, vendor, flow, peer, &port, &from, &to))
		return;
	const char *source = flow_source(k->arena, vendor, flow);
	const char *statement = flow->dns ? "DNS, for the names the file uses" : flow->origin;
	add_case(k, vendor, kind, &from, &to, &port, source, statement);
	if (ip->end) {
		struct eval_port last = { ip->proto, ip->end, NULL };
		struct kit_end last_to;
		flow_ends(k, vendor, flow, peer, &last, &from, &last_to);
		add_case(k, vendor, kind, &from, &last_to, &last, source, statement);
	}
	/* DNS is compile's addition, not a grant: its neighbours are the
	 * other-dns and domain cases. */
	int off = kind == KIT_DECLARED && !flow->dns ? port_off(flow, ip) : 0;
	if (!off)
		return;
	struct eval_port next = { ip->proto, off, NULL };
	if (to.end.pod && to.host)
		to = listener_end(k, to.end.pod->ns, peer->probe.pod->labels, peer->probe.pod->label_count);
	add_case(k, vendor, KIT_PORT_OFF, &from, &to, &next, source,
		arena_printf(k->arena, "%s, one port off (%s)", flow->origin ? flow->origin : "DNS",
			probe_port_text(k->arena, &next)));
}

/* Beside a peer of pods: a pod of its namespace with none of its labels,
 * and the namespace's other Services. */
static void
neighbour_cases(struct kitter *k, const struct ir_vendor *vendor, const struct ir_flow *flow,
	const struct explain_peer *peer)
{
	if (flow->dir != IR_EGRESS || !peer->probe.pod || flow->dns)
		return;
	const struct ir_port *ip = vec_at(&flow->ports, 0);
	struct eval_port port = { ip->proto, ip->name ? 0 : ip->port, ip->name };
	struct kit_end from = vendor_source(k, vendor), to = listener_end(k, peer->probe.pod->ns, NULL, 0);
	const char *source = flow_source(k->arena, vendor, flow);
	if (!port.name)
		add_case(k, vendor, KIT_NEIGHBOUR, &from, &to, &port, source,
			arena_printf(k->arena, "%s, to a pod of %s it does not select", flow->origin, peer->probe.pod->ns));
	const struct vec *services = &k->in->catalog->services;
	for (size_t i = 0; i < services->len; i++) {
		const struct service *service = vec_at(services, i);
		if (strcmp(service->ns, peer->probe.pod->ns) != 0 || !service->has_selector || !service->ports.len
			|| (flow->names_service && strcmp(flow->peer_written,
				arena_printf(k->arena, "%s/%s", service->ns, service->name)) == 0))
			continue;
		const struct service_port *sp = vec_at(&service->ports, 0);
		struct eval_port target = { sp->proto, sp->target_name ? 0 : sp->target_port ? sp->target_port : sp->port,
			sp->target_name };
		/* the Service's own pods: the probe goes through the Service */
		struct kit_end other = { .end.pod = pods_of(k->arena, service->ns, &service->selector),
			.host = arena_printf(k->arena, "%s.%s.svc", service->name, service->ns), .host_port = sp->port };
		other.text = probe_end_text(k->arena, &other.end);
		add_case(k, vendor, KIT_OTHER_SERVICE, &from, &other, &target, source,
			arena_printf(k->arena, "%s, to Service %s/%s instead", flow->origin, service->ns, service->name));
	}
}

/* The cluster DNS the vendor's file reaches, for the lookup of a name it
 * does not declare; NULL when it reaches none. */
static const struct ir_flow *
dns_flow(const struct ir_vendor *vendor)
{
	for (size_t f = 0; f < vendor->flows.len; f++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, f);
		if (flow->dns && flow->kind == IR_PEER_PODS)
			return flow;
	}
	return NULL;
}

/* The attacker's tries that do not follow a flow: out to an address and a
 * resolver nobody declares, a name nobody declares, and into the vendor's
 * pods from the kit's own namespace. */
static void
vendor_cases(struct kitter *k, const struct ir_vendor *vendor)
{
	const char *source = runs_in_source(k->arena, vendor);
	struct kit_end from = vendor_source(k, vendor);
	struct net_cidr addr;
	net_parse_cidr(outside_address, &addr);
	struct kit_end outside = address_end(k, &addr, NULL);
	add_case(k, vendor, KIT_OUTSIDE, &from, &outside, &(struct eval_port){ NET_TCP, 443, NULL }, source,
		"to an outside address no vendor file declares");
	net_parse_cidr(other_resolver, &addr);
	struct kit_end resolver = address_end(k, &addr, NULL);
	add_case(k, vendor, KIT_OTHER_DNS, &from, &resolver, &(struct eval_port){ NET_UDP, 53, NULL }, source,
		"DNS to a resolver that is not the cluster's");
	const struct ir_flow *dns = dns_flow(vendor);
	struct eval_port port = { NET_UDP, 53, NULL };
	struct kit_end to = dns ? pods_end(k, pods_of(k->arena, dns->pods.ns, &dns->pods.pods), &port) : from;
	/* A lookup needs the real resolver: through the cluster DNS's Service,
	 * which the catalog must hold (a listener answers no lookups). */
	if (dns && to.host) {
		struct kit_case *c = add_case(k, vendor, KIT_DOMAIN, &from, &to, &port, flow_source(k->arena, vendor, dns),
			"a lookup of a name no vendor file declares");
		struct eval_verdict verdict;
		c->lookup = undeclared_name;
		c->expect_allowed = eval_lookup(k->world, &from.end, &to.end, &port, undeclared_name, &verdict);
		c->decided_by = decided_text(k->arena, &verdict);
	}
	const struct selector *sel = &vendor->pods.pods;
	struct kit_end stranger = source_end(k, probe_namespace, NULL, 0);
	struct kit_end self = listener_end(k, vendor->pods.ns, sel->labels, sel->label_count);
	add_case(k, vendor, KIT_UNRELATED, &stranger, &self, &(struct eval_port){ NET_TCP, 8080, NULL }, source,
		"to the vendor's pods from a namespace no file grants");
}

static void
flow_cases(struct kitter *k, const struct ir_vendor *vendor, enum kit_kind kind)
{
	for (size_t f = 0; f < vendor->flows.len; f++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, f);
		struct vec peers = { 0 };
		explain_flow_peers(k->arena, flow, &peers);
		for (size_t p = 0; p < peers.len; p++) {
			for (size_t i = 0; i < flow->ports.len; i++)
				port_cases(k, vendor, flow, vec_at(&peers, p), vec_at(&flow->ports, i), kind);
			if (kind == KIT_DECLARED)
				neighbour_cases(k, vendor, flow, vec_at(&peers, p));
		}
	}
}

static bool
wanted(const struct kitter *k, const struct ir_vendor *vendor)
{
	return !k->in->vendor || strcmp(k->in->vendor, vendor->name) == 0;
}

struct kit *
kit_build(struct arena *arena, const struct kit_input *in)
{
	struct kit *kit = arena_alloc(arena, sizeof(*kit));
	kit->now = when_format(arena, in->now);
	const struct ir *intent = verify_intent(arena, in->ir, in->by_name);
	struct kitter k = { arena, in, eval_world_of_catalog(arena, in->catalog, in->emitted), kit, { 0 } };
	verify_add_names(arena, k.world, intent);
	for (size_t i = 0; i < intent->vendors.len; i++) {
		const struct ir_vendor *vendor = vec_at(&intent->vendors, i);
		if (!wanted(&k, vendor))
			continue;
		if (!vendor->expired) {
			flow_cases(&k, vendor, KIT_DECLARED);
			vendor_cases(&k, vendor);
			continue;
		}
		const struct ir_vendor *before = in->expired ? ir_vendor_named(in->expired, vendor->name) : NULL;
		if (before)
			flow_cases(&k, before, KIT_EXPIRED);
	}
	return kit;
}

/* ---- the listing ---- */

const char *
kit_dial(struct arena *arena, const struct kit_case *c)
{
	const struct kit_end *to = &c->to;
	if (c->lookup)
		return arena_printf(arena, "%s:443", c->lookup);
	const char *host = to->host ? to->host : arena_printf(arena, "%s.%s.svc", to->listener, to->end.pod->ns);
	return arena_printf(arena, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, to->host_port);
}

static void
print_text(FILE *out, struct arena *arena, const struct kit *kit)
{
	for (size_t i = 0; i < kit->cases.len; i++) {
		const struct kit_case *c = vec_at(&kit->cases, i);
		fprintf(out, "%zu %s %s %s: %s -> %s (%s, %s%s%s)\n  %s: %s\n  decided by %s\n", c->number,
			c->vendor, kind_names[c->kind], c->expect_allowed ? "allow" : "deny", c->from.text, c->to.text,
			probe_port_text(arena, &c->port), kit_dial(arena, c), c->lookup ? ", looks up " : "",
			c->lookup ? c->lookup : "", c->source, c->statement, c->decided_by);
	}
}

/* An end as people read it, and as a program rebuilds it: the pod's
 * namespace and labels, or the address. */
static void
print_end_json(FILE *out, struct arena *arena, const char *key, const struct kit_end *end)
{
	fprintf(out, ",\"%s\":{\"end\":", key);
	json_string(out, end->text);
	const struct eval_pod *pod = end->end.pod;
	fputs(",\"namespace\":", out);
	json_string(out, pod ? pod->ns : NULL);
	fputs(",\"labels\":", out);
	for (size_t i = 0; pod && i < pod->label_count; i++) {
		fputs(i ? "," : "{", out);
		json_string(out, pod->labels[i].key);
		fputc(':', out);
		json_string(out, pod->labels[i].value);
	}
	fputs(!pod ? "null" : pod->label_count ? "}" : "{}", out);
	fputs(",\"address\":", out);
	json_string(out, pod ? NULL : net_format_address(arena, &end->end.addr));
	fputs(",\"host\":", out);
	json_string(out, end->host);
	fputs(",\"listener\":", out);
	json_string(out, end->listener);
	if (end->host_port)
		fprintf(out, ",\"port\":%d}", end->host_port);
	else
		fputs(",\"port\":null}", out);
}

static void
print_json(FILE *out, struct arena *arena, const struct kit *kit)
{
	fputs("{\"now\":", out);
	json_string(out, kit->now);
	fputs(",\"cases\":[", out);
	for (size_t i = 0; i < kit->cases.len; i++) {
		const struct kit_case *c = vec_at(&kit->cases, i);
		fprintf(out, "%s{\"case\":%zu,\"vendor\":", i ? "," : "", c->number);
		json_string(out, c->vendor);
		fprintf(out, ",\"kind\":\"%s\",\"expect\":\"%s\"", kind_names[c->kind], c->expect_allowed ? "allow" : "deny");
		print_end_json(out, arena, "from", &c->from);
		print_end_json(out, arena, "to", &c->to);
		fputs(",\"port\":", out);
		json_string(out, probe_port_text(arena, &c->port));
		fprintf(out, ",\"protocol\":\"%s\",\"number\":", net_proto_name(c->port.proto));
		if (c->port.name)
			fputs("null", out);
		else
			fprintf(out, "%d", c->port.number);
		fputs(",\"name\":", out);
		json_string(out, c->port.name);
		fputs(",\"lookup\":", out);
		json_string(out, c->lookup);
		fputs(",\"source\":", out);
		json_string(out, c->source);
		fputs(",\"statement\":", out);
		json_string(out, c->statement);
		fputs(",\"decided_by\":", out);
		json_string(out, c->decided_by);
		fputc('}', out);
	}
	fputs("]}\n", out);
}

void
kit_print(FILE *out, struct arena *arena, const struct kit *kit, enum report_format format)
{
	if (format == REPORT_JSON)
		print_json(out, arena, kit);
	else
		print_text(out, arena, kit);
}
