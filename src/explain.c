#include "vendorc/explain.h"

#include "vendorc/arena.h"
#include "vendorc/catalog.h"
#include "vendorc/eval.h"
#include "vendorc/history.h"
#include "vendorc/ir.h"
#include "vendorc/json.h"
#include "vendorc/probe.h"
#include "vendorc/verify.h"
#include "vendorc/when.h"

#include <stdlib.h>
#include <string.h>

struct explainer {
	FILE *out;
	struct arena *arena;
	const struct ir *ir;
	const struct catalog *catalog;
	struct eval_world *world;
	enum report_format format;
	size_t items;                /* JSON items written to the current list */
	const struct history_commit *at;
};

/* A connection end as the query names it. svc: the Service it names. */
struct target {
	struct eval_end end;
	const struct service *svc;
	const char *text;
	struct vec groups;  /* struct eval_pod *: the known pod groups NS or NS/LABELS covers */
};

/* A query that names nothing vendorc knows: a usage error. */
static enum explain_result
bad_query(const char *what, const char *text, const char *forms)
{
	fprintf(stderr, "vendorc: error: cannot read %s \"%s\" (%s)\n", what, text, forms);
	return EXPLAIN_BAD_QUERY;
}

static const char end_forms[] = "NS/KEY=VALUE, NS/SERVICE with a selector, NS or an address";

/* ---- the query ---- */

static struct eval_pod *
pod_with(struct arena *arena, const char *ns, const struct label *labels, size_t count)
{
	struct eval_pod *pod = arena_alloc(arena, sizeof(*pod));
	*pod = (struct eval_pod){ ns, labels, count };
	return pod;
}

/* "k=v,k2=v2" into labels; false when a pair has no '='. */
static bool
parse_labels(struct arena *arena, const char *text, struct label **labels, size_t *count)
{
	size_t max = 1;
	for (const char *c = text; *c; c++)
		max += *c == ',';
	*labels = arena_array(arena, max, sizeof(**labels));
	*count = 0;
	char *copy = arena_strdup(arena, text), *save = NULL;
	for (char *pair = strtok_r(copy, ",", &save); pair; pair = strtok_r(NULL, ",", &save)) {
		char *equals = strchr(pair, '=');
		if (!equals)
			return false;
		*equals = '\0';
		(*labels)[(*count)++] = (struct label){ pair, equals + 1 };
	}
	return *count > 0;
}

/* A pod group with these labels, unless one with the same labels is there. */
static void
add_group(struct explainer *x, struct vec *groups, const char *ns, const struct label *labels,
	size_t count)
{
	struct selector wanted = { (struct label *)labels, count, NULL, 0 };
	for (size_t i = 0; i < groups->len; i++) {
		const struct eval_pod *pod = vec_at(groups, i);
		if (pod->label_count == count && selector_matches(&wanted, pod->labels, pod->label_count))
			return;
	}
	vec_push(x->arena, groups, pod_with(x->arena, ns, labels, count));
}

/* Whether one of groups carries every label of sel. */
static bool
groups_cover(const struct vec *groups, const struct selector *sel)
{
	for (size_t i = 0; i < groups->len; i++) {
		const struct eval_pod *pod = vec_at(groups, i);
		if (selector_matches(sel, pod->labels, pod->label_count))
			return true;
	}
	return false;
}

/* The pod groups the catalog knows in ns that carry every label of query:
 * its workloads' pods, and a Service's selector where no workload stands
 * for its pods. An auditor's "payments/app=postgres" means all of those,
 * not one pod with exactly that label. */
static void
known_groups(struct explainer *x, const char *ns, const struct selector *query, struct vec *groups)
{
	for (size_t i = 0; i < x->catalog->workloads.len; i++) {
		const struct workload *w = vec_at(&x->catalog->workloads, i);
		if (strcmp(w->ns, ns) == 0 && selector_matches(query, w->labels, w->label_count))
			add_group(x, groups, ns, w->labels, w->label_count);
	}
	for (size_t i = 0; i < x->catalog->services.len; i++) {
		const struct service *svc = vec_at(&x->catalog->services, i);
		if (svc->has_selector && strcmp(svc->ns, ns) == 0
			&& selector_matches(query, svc->selector.labels, svc->selector.label_count)
			&& !groups_cover(groups, &svc->selector))
			add_group(x, groups, ns, svc->selector.labels, svc->selector.label_count);
	}
}

static void
target_service(struct explainer *x, const struct service *svc, struct target *out)
{
	out->svc = svc;
	out->end.pod = pod_with(x->arena, svc->ns, svc->selector.labels, svc->selector.label_count);
}

static bool
parse_target(struct explainer *x, const char *text, struct target *out)
{
	*out = (struct target){ .text = text };
	if (net_parse_cidr(text, &out->end.addr) == NET_CIDR_OK) {
		const struct service *svc = catalog_service_at(x->catalog, &out->end.addr);
		if (svc && svc->has_selector)
			target_service(x, svc, out);
		return out->end.addr.prefix == (out->end.addr.family == 4 ? 32 : 128);
	}
	const char *slash = strchr(text, '/');
	if (!slash) {
		out->end.pod = pod_with(x->arena, text, NULL, 0);
		known_groups(x, text, &(struct selector){ 0 }, &out->groups);
		return true;
	}
	const char *ns = arena_strndup(x->arena, text, (size_t)(slash - text));
	struct label *labels;
	size_t count;
	if (strchr(slash, '=')) {
		if (!parse_labels(x->arena, slash + 1, &labels, &count))
			return false;
		out->end.pod = pod_with(x->arena, ns, labels, count);
		known_groups(x, ns, &(struct selector){ labels, count, NULL, 0 }, &out->groups);
		return true;
	}
	const struct service *svc = catalog_service(x->catalog, ns, slash + 1);
	if (!svc || !svc->has_selector)
		return false;
	target_service(x, svc, out);
	return true;
}

/* "8080", "8080/udp", "http": on a Service, its port maps to the
 * targetPort the pods see, and *mapped says so. */
static bool
parse_port(struct explainer *x, const char *text, const struct target *to, struct eval_port *out,
	const char **mapped)
{
	const char *slash = strchr(text, '/');
	char *word = arena_strndup(x->arena, text, slash ? (size_t)(slash - text) : strlen(text));
	*out = (struct eval_port){ .proto = NET_TCP };
	if (slash && !net_parse_proto(slash + 1, &out->proto))
		return false;
	char *end;
	long number = strtol(word, &end, 10);
	if (*end == '\0' && number >= 1 && number <= 65535)
		out->number = (int)number;
	else
		out->name = word;
	*mapped = NULL;
	for (size_t i = 0; to->svc && i < to->svc->ports.len; i++) {
		const struct service_port *sp = vec_at(&to->svc->ports, i);
		bool same = out->name ? sp->name && strcmp(sp->name, out->name) == 0 : sp->port == out->number;
		if (!same || (slash && sp->proto != out->proto))
			continue;
		*mapped = arena_printf(x->arena, "Service port %s is %s on the pods", text,
			sp->target_name ? sp->target_name : arena_printf(x->arena, "%d", sp->target_port));
		*out = (struct eval_port){ sp->proto, sp->target_port, sp->target_name };
		return true;
	}
	return true;
}

/* ---- one connection ---- */

/* The ClusterNetworkPolicy and rule that decided the side or passed it on. */
static void
json_clusterpol(FILE *out, const char *key, const struct clusterpol *cp, const struct clusterpol_rule *rule)
{
	fprintf(out, ",\"%s\":", key);
	if (!cp) {
		fputs("null", out);
		return;
	}
	fputs("{\"name\":", out);
	json_string(out, cp->name);
	fprintf(out, ",\"priority\":%d", cp->priority);
	fputs(",\"rule\":", out);
	json_string(out, rule->name);
	fprintf(out, ",\"index\":%zu}", rule->index);
}

static void
json_side(struct arena *arena, FILE *out, const char *key, const struct eval_side *side)
{
	static const char *const tiers[] = {
		[EVAL_TIER_DEFAULT] = "default", [EVAL_TIER_ADMIN] = "admin",
		[EVAL_TIER_NETWORKPOLICY] = "networkpolicy", [EVAL_TIER_BASELINE] = "baseline",
	};
	fprintf(out, ",\"%s\":{\"isolated\":%s,\"allowed\":%s,\"tier\":\"%s\"", key,
		side->isolated ? "true" : "false", side->allowed ? "true" : "false", tiers[side->tier]);
	const char *kind, *policy = eval_side_policy(arena, side, &kind);
	fputs(",\"policy\":", out);
	json_string(out, policy);
	fputs(",\"kind\":", out);
	json_string(out, kind);
	bool by_cnp = side->tier == EVAL_TIER_ADMIN || side->tier == EVAL_TIER_BASELINE;
	json_clusterpol(out, "clusterNetworkPolicy", by_cnp ? side->cnp : NULL, side->cnp_rule);
	json_clusterpol(out, "passedBy", side->passed_by, side->pass_rule);
	fputc('}', out);
}

/* The start of an answer: with --at, the commit it is as of. In JSON the
 * object opens with it and then key, so that a reader of the other members
 * finds the shape it knows. */
static void
begin_answer(struct explainer *x, const char *key)
{
	if (x->format != REPORT_JSON) {
		if (x->at)
			fprintf(x->out, "as of commit %s\n", history_commit_text(x->arena, x->at));
		return;
	}
	fputc('{', x->out);
	if (x->at) {
		fputs("\"at\":{\"commit\":", x->out);
		json_string(x->out, x->at->hash);
		fputs(",\"date\":", x->out);
		json_string(x->out, x->at->date);
		fputs(",\"author\":", x->out);
		json_string(x->out, x->at->author);
		fputs(",\"subject\":", x->out);
		json_string(x->out, x->at->subject);
		fputs("},", x->out);
	}
	fprintf(x->out, "\"%s\":", key);
}

static enum explain_result
explain_trace(struct explainer *x, const struct explain_query *query)
{
	struct target from, to;
	struct eval_port port;
	const char *mapped;
	if (!parse_target(x, query->from, &from))
		return bad_query("--from", query->from, end_forms);
	if (!parse_target(x, query->to, &to))
		return bad_query("--to", query->to, end_forms);
	if (!query->port || !parse_port(x, query->port, &to, &port, &mapped))
		return bad_query("--port", query->port ? query->port : "", "N or NAME, optionally /tcp, /udp or /sctp");
	struct eval_verdict verdict;
	eval_connection(x->world, &from.end, &to.end, &port, &verdict);
	const char *src = probe_end_text(x->arena, &from.end), *dst = probe_end_text(x->arena, &to.end);
	begin_answer(x, "from");
	if (x->format == REPORT_JSON) {
		json_string(x->out, src);
		fputs(",\"to\":", x->out);
		json_string(x->out, dst);
		fputs(",\"port\":", x->out);
		json_string(x->out, probe_port_text(x->arena, &port));
		fprintf(x->out, ",\"allowed\":%s", verdict.allowed ? "true" : "false");
		json_side(x->arena, x->out, "egress", &verdict.egress);
		json_side(x->arena, x->out, "ingress", &verdict.ingress);
		fputs("}\n", x->out);
	} else {
		fprintf(x->out, "from %s\nto   %s\non   %s%s%s\n%s\n  the source's egress:       %s\n"
			"  the destination's ingress: %s\n", src, dst, probe_port_text(x->arena, &port),
			mapped ? " (" : "", mapped ? arena_printf(x->arena, "%s)", mapped) : "",
			verdict.allowed ? "ALLOWED" : "DENIED", eval_side_text(x->arena, &verdict.egress),
			eval_side_text(x->arena, &verdict.ingress));
	}
	return verdict.allowed ? EXPLAIN_DONE : EXPLAIN_DENIED;
}

/* ---- a vendor ---- */

static struct eval_end
vendor_end(struct explainer *x, const struct ir_vendor *vendor)
{
	const struct selector *sel = &vendor->pods.pods;
	return (struct eval_end){ .pod = pod_with(x->arena, vendor->pods.ns, sel->labels, sel->label_count) };
}

/* One port of one flow, tried on the evaluated policies. */
static void
print_flow_port(struct explainer *x, const struct ir_vendor *vendor, const struct ir_flow *flow,
	const struct explain_peer *flow_peer, const struct ir_port *ip)
{
	const struct eval_end *peer = &flow_peer->probe;
	struct eval_end self = vendor_end(x, vendor);
	struct eval_port port = { ip->proto, ip->port, ip->name };
	struct eval_verdict verdict;
	bool out = flow->dir == IR_EGRESS;
	eval_connection(x->world, out ? &self : peer, out ? peer : &self, &port, &verdict);
	const char *peer_text = flow_peer->text;
	const char *port_text = ir_port_text(x->arena, ip);
	const char *where = arena_printf(x->arena, "%s:%u", flow->loc.src ? flow->loc.src->path : vendor->source,
		flow->loc.line);
	if (x->format == REPORT_JSON) {
		fputs(x->items++ ? ",{\"direction\":" : "{\"direction\":", x->out);
		json_string(x->out, out ? "egress" : "ingress");
		fputs(",\"peer\":", x->out);
		json_string(x->out, flow->domain ? flow->domain : peer_text);
		fputs(",\"port\":", x->out);
		json_string(x->out, port_text);
		fprintf(x->out, ",\"allowed\":%s,\"statement\":", verdict.allowed ? "true" : "false");
		json_string(x->out, flow->dns ? "dns" : flow->origin);
		fputs(",\"source\":", x->out);
		json_string(x->out, where);
		json_side(x->arena, x->out, "egress", &verdict.egress);
		json_side(x->arena, x->out, "ingress", &verdict.ingress);
		fputc('}', x->out);
		return;
	}
	fprintf(x->out, "  %s %s%s%s on %s: %s\n      %s: %s\n      egress: %s; ingress: %s\n",
		out ? "reaches" : "reached by", peer_text, flow->domain && !flow_peer->by_name ? " for " : "",
		flow->domain && !flow_peer->by_name ? flow->domain : "", port_text, verdict.allowed ? "allowed" : "DENIED",
		where, flow->dns ? "DNS, for the names the file uses" : flow->origin,
		eval_side_text(x->arena, &verdict.egress), eval_side_text(x->arena, &verdict.ingress));
}

void
explain_flow_peers(struct arena *arena, const struct ir_flow *flow, struct vec *peers)
{
	if (flow->kind == IR_PEER_PODS) {
		const struct selector *sel = &flow->pods.pods;
		struct explain_peer *peer = arena_alloc(arena, sizeof(*peer));
		peer->probe.pod = pod_with(arena, flow->pods.ns, sel->labels, sel->label_count);
		peer->text = probe_end_text(arena, &peer->probe);
		vec_push(arena, peers, peer);
	}
	for (size_t c = 0; flow->kind != IR_PEER_PODS && c < flow->cidrs.len; c++) {
		const struct net_cidr *range = vec_at(&flow->cidrs, c);
		struct explain_peer *peer = arena_alloc(arena, sizeof(*peer));
		peer->probe.addr = *range;
		peer->probe.addr.prefix = range->family == 4 ? 32 : 128;
		peer->by_name = verify_is_stand_in(range);
		peer->text = peer->by_name ? arena_printf(arena, "the addresses of %s", flow->domain)
			: net_format_cidr(arena, range);
		vec_push(arena, peers, peer);
	}
}

static void
print_flow(struct explainer *x, const struct ir_vendor *vendor, const struct ir_flow *flow)
{
	struct vec peers = { 0 };
	explain_flow_peers(x->arena, flow, &peers);
	for (size_t i = 0; i < peers.len; i++)
		for (size_t p = 0; p < flow->ports.len; p++)
			print_flow_port(x, vendor, flow, vec_at(&peers, i), vec_at(&flow->ports, p));
}

/* Why the vendor has access and when it was last looked at, where its
 * file says (PCI DSS 1.2.5, 7.2.4). */
static void
print_review(struct explainer *x, const struct ir_vendor *vendor)
{
	if (vendor->justification)
		fprintf(x->out, "  justification: %s\n", vendor->justification);
	if (vendor->reviewed)
		fprintf(x->out, "  reviewed %s, next review due %s\n", vendor->reviewed,
			when_format(x->arena, vendor->review_due));
}

static enum explain_result
explain_vendor(struct explainer *x, const char *name)
{
	const struct ir_vendor *vendor = ir_vendor_named(x->ir, name);
	if (!vendor) {
		fprintf(stderr, "vendorc: error: no vendor \"%s\" in the project (vendorc expiring lists them)\n", name);
		return EXPLAIN_BAD_QUERY;
	}
	struct eval_end self = vendor_end(x, vendor);
	const char *who = probe_end_text(x->arena, &self);
	begin_answer(x, "vendor");
	if (x->format == REPORT_JSON) {
		json_string(x->out, vendor->name);
		fputs(",\"pods\":", x->out);
		json_string(x->out, who);
		fputs(",\"access_ends\":", x->out);
		json_string(x->out, vendor->never_expires ? NULL : when_format(x->arena, vendor->ends_at));
		fputs(",\"justification\":", x->out);
		json_string(x->out, vendor->justification);
		fputs(",\"reviewed\":", x->out);
		json_string(x->out, vendor->reviewed);
		fputs(",\"review_due\":", x->out);
		json_string(x->out, vendor->reviewed ? when_format(x->arena, vendor->review_due) : NULL);
		fprintf(x->out, ",\"expired\":%s,\"flows\":[", vendor->expired ? "true" : "false");
	} else {
		fprintf(x->out, "vendor %s (%s): %s, %s\n", vendor->name, vendor->source, who,
			ir_vendor_access_text(x->arena, vendor));
		print_review(x, vendor);
		if (vendor->flows.len == 0)
			fprintf(x->out, "  no access%s\n", vendor->expired ? ": expired" : "");
	}
	for (size_t f = 0; f < vendor->flows.len; f++)
		print_flow(x, vendor, vec_at(&vendor->flows, f));
	if (x->format == REPORT_JSON)
		fputs("]}\n", x->out);
	return EXPLAIN_DONE;
}

/* ---- who reaches a target ---- */

/* The ports to try on a target: a Service's targetPorts, else every port
 * the vendor's file names. */
static void
target_ports(struct explainer *x, const struct target *to, const struct ir_vendor *vendor,
	struct vec *ports)
{
	for (size_t i = 0; to->svc && i < to->svc->ports.len; i++) {
		const struct service_port *sp = vec_at(&to->svc->ports, i);
		struct eval_port *port = arena_alloc(x->arena, sizeof(*port));
		*port = (struct eval_port){ sp->proto, sp->target_port, sp->target_name };
		vec_push(x->arena, ports, port);
	}
	for (size_t f = 0; !to->svc && f < vendor->flows.len; f++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, f);
		for (size_t p = 0; p < flow->ports.len; p++) {
			const struct ir_port *ip = vec_at(&flow->ports, p);
			struct eval_port *port = arena_alloc(x->arena, sizeof(*port));
			*port = (struct eval_port){ ip->proto, ip->port, ip->name };
			vec_push(x->arena, ports, port);
		}
	}
	probe_unique_ports(ports);
}

/* to: the pod group reached, when the query covers several (else NULL). */
static void
print_reacher(struct explainer *x, const struct ir_vendor *vendor, const struct vec *allowed,
	const char *to)
{
	if (x->format == REPORT_JSON) {
		fputs(x->items++ ? ",{\"vendor\":" : "{\"vendor\":", x->out);
		json_string(x->out, vendor->name);
		fputs(",\"owner\":", x->out);
		json_string(x->out, vendor->owner);
		fputs(",\"ticket\":", x->out);
		json_string(x->out, vendor->ticket);
		fputs(",\"to\":", x->out);
		json_string(x->out, to);
		fputs(",\"access_ends\":", x->out);
		json_string(x->out, vendor->never_expires ? NULL : when_format(x->arena, vendor->ends_at));
		fputs(",\"ports\":[", x->out);
		for (size_t i = 0; i < allowed->len; i++) {
			fputs(i ? "," : "", x->out);
			json_string(x->out, probe_port_text(x->arena, vec_at(allowed, i)));
		}
		fputs("]}", x->out);
		return;
	}
	fprintf(x->out, "  %s (%s, %s):", vendor->name, vendor->owner ? vendor->owner : "no owner",
		ir_vendor_access_text(x->arena, vendor));
	for (size_t i = 0; i < allowed->len; i++)
		fprintf(x->out, "%s %s", i ? "," : "", probe_port_text(x->arena, vec_at(allowed, i)));
	fprintf(x->out, to ? " (to %s)\n" : "\n", to);
}

/* What a query means, for the header: an auditor must see whether
 * "payments" was read as every pod there or as one without labels. */
static const char *
query_meaning(struct explainer *x, const struct target *to)
{
	const char *what = probe_end_text(x->arena, &to->end);
	if (to->svc)
		return arena_printf(x->arena, "Service %s/%s, that is %s", to->svc->ns, to->svc->name, what);
	if (!to->end.pod)
		return arena_printf(x->arena, "the address %s", what);
	if (to->groups.len == 0)
		return arena_printf(x->arena, "%s (the catalog knows no pod group there)", what);
	const char *labels = to->end.pod->label_count
		? arena_printf(x->arena, " with %s", selector_text(x->arena, &(struct selector){
			(struct label *)to->end.pod->labels, to->end.pod->label_count, NULL, 0 }))
		: "";
	return arena_printf(x->arena, "the %zu pod group%s the catalog knows in \"%s\"%s",
		to->groups.len, to->groups.len == 1 ? "" : "s", to->end.pod->ns, labels);
}

/* The ports of to that vendor reaches from its own pods, into allowed. */
static void
reached_ports(struct explainer *x, const struct ir_vendor *vendor, const struct target *to,
	const struct eval_end *end, struct vec *allowed)
{
	struct eval_end self = vendor_end(x, vendor);
	struct vec ports = { 0 };
	target_ports(x, to, vendor, &ports);
	for (size_t p = 0; p < ports.len; p++) {
		struct eval_verdict verdict;
		eval_connection(x->world, &self, end, vec_at(&ports, p), &verdict);
		if (verdict.allowed)
			vec_push(x->arena, allowed, vec_at(&ports, p));
	}
}

/* One line per vendor and pod group it reaches; how many lines. */
static size_t
print_reachers_of(struct explainer *x, const struct ir_vendor *vendor, const struct target *to)
{
	size_t lines = 0;
	for (size_t g = 0; g < to->groups.len || (g == 0 && !to->groups.len); g++) {
		struct eval_end end = to->end;
		const char *group = NULL;
		if (to->groups.len) {
			end.pod = vec_at(&to->groups, g);
			group = selector_text(x->arena, &(struct selector){ (struct label *)end.pod->labels,
				end.pod->label_count, NULL, 0 });
		}
		struct vec allowed = { 0 };
		reached_ports(x, vendor, to, &end, &allowed);
		if (allowed.len && ++lines)
			print_reacher(x, vendor, &allowed, group);
	}
	return lines;
}

/* A catalog rule's ports, "every port" when it names none. */
static const char *
rule_ports_text(struct arena *arena, const struct netpol_rule *rule)
{
	const char *text = rule->ports.len ? "" : "every port";
	for (size_t i = 0; i < rule->ports.len; i++)
		text = arena_printf(arena, "%s%s%s", text, i ? ", " : "",
			netpol_port_text(arena, vec_at(&rule->ports, i)));
	return text;
}

void
explain_catalog_sources(struct arena *arena, const struct catalog *catalog, const struct eval_pod *pod,
	struct vec *sources)
{
	for (size_t i = 0; i < catalog->netpols.len; i++) {
		const struct netpol *np = vec_at(&catalog->netpols, i);
		if (!np->ingress || strcmp(np->ns, pod->ns) != 0
			|| !selector_matches(&np->pod_selector, pod->labels, pod->label_count))
			continue;
		for (size_t r = 0; r < np->ingress_rules.len; r++) {
			const struct netpol_rule *rule = vec_at(&np->ingress_rules, r);
			const char *from = rule->peers.len ? "" : "every source";
			for (size_t p = 0; p < rule->peers.len; p++)
				from = arena_printf(arena, "%s%s%s", from, p ? "; " : "",
					netpol_peer_text(arena, vec_at(&rule->peers, p), np->ns));
			struct explain_source *source = arena_alloc(arena, sizeof(*source));
			*source = (struct explain_source){ arena_printf(arena, "%s/%s", np->ns, np->name), from,
				rule_ports_text(arena, rule) };
			vec_push(arena, sources, source);
		}
	}
}

/* The catalog's own ingress rules for pod: who else reaches it. An
 * auditor asks "who", not only "which vendor". */
static size_t
print_catalog_sources(struct explainer *x, const struct eval_pod *pod, const char *group)
{
	struct vec sources = { 0 };
	explain_catalog_sources(x->arena, x->catalog, pod, &sources);
	for (size_t i = 0; i < sources.len; i++) {
		const struct explain_source *source = vec_at(&sources, i);
		if (x->format == REPORT_JSON) {
			fputs(x->items++ ? ",{\"policy\":" : "{\"policy\":", x->out);
			json_string(x->out, source->policy);
			fputs(",\"from\":", x->out);
			json_string(x->out, source->from);
			fputs(",\"ports\":", x->out);
			json_string(x->out, source->ports);
			fputs(",\"to\":", x->out);
			json_string(x->out, group);
			fputs("}", x->out);
		} else {
			fprintf(x->out, "  %s: %s, on %s%s%s%s\n", source->policy, source->from, source->ports,
				group ? " (to " : "", group ? group : "", group ? ")" : "");
		}
	}
	return sources.len;
}

/* The catalog sources of every group the query covers. */
static void
print_other_sources(struct explainer *x, const struct target *to)
{
	if (!to->end.pod)
		return;
	if (x->format == REPORT_JSON) {
		fputs("],\"catalog_sources\":[", x->out);
		x->items = 0;
	} else {
		fputs("other sources the catalog's NetworkPolicies admit:\n", x->out);
	}
	size_t lines = 0;
	for (size_t g = 0; g < to->groups.len || (g == 0 && !to->groups.len); g++) {
		const struct eval_pod *pod = to->groups.len ? vec_at(&to->groups, g) : to->end.pod;
		const char *group = to->groups.len ? selector_text(x->arena, &(struct selector){
			(struct label *)pod->labels, pod->label_count, NULL, 0 }) : NULL;
		lines += print_catalog_sources(x, pod, group);
	}
	if (lines == 0 && x->format != REPORT_JSON)
		fputs("  none (where no policy isolates a pod, anything in the cluster reaches it)\n", x->out);
}

static enum explain_result
explain_to(struct explainer *x, const char *text)
{
	struct target to;
	if (!parse_target(x, text, &to))
		return bad_query("--to", text, end_forms);
	const char *meaning = query_meaning(x, &to);
	begin_answer(x, "target");
	if (x->format == REPORT_JSON) {
		json_string(x->out, text);
		fputs(",\"meaning\":", x->out);
		json_string(x->out, meaning);
		fputs(",\"vendors\":[", x->out);
	} else {
		fprintf(x->out, "vendors that reach %s, read as %s:\n", text, meaning);
	}
	size_t reachers = 0;
	for (size_t i = 0; i < x->ir->vendors.len; i++)
		reachers += print_reachers_of(x, vec_at(&x->ir->vendors, i), &to);
	if (reachers == 0 && x->format != REPORT_JSON)
		fputs("  none\n", x->out);
	print_other_sources(x, &to);
	if (x->format == REPORT_JSON)
		fputs("]}\n", x->out);
	return EXPLAIN_DONE;
}

enum explain_result
explain(FILE *out, struct arena *arena, const struct explain_query *query, const struct ir *ir,
	const struct catalog *catalog, const struct eval_policies *emitted, bool by_name,
	enum report_format format)
{
	const struct ir *intent = verify_intent(arena, ir, by_name);
	struct explainer x = { out, arena, intent, catalog, eval_world_of_catalog(arena, catalog, emitted),
		format, 0, query->at };
	verify_add_names(arena, x.world, intent);
	if (query->vendor)
		return explain_vendor(&x, query->vendor);
	if (query->from)
		return explain_trace(&x, query);
	return explain_to(&x, query->to);
}

enum explain_result
explain_gone(struct arena *arena, const char *vendor, const struct history_commit *at,
	const struct history_event *removed)
{
	fprintf(stderr, "vendorc: error: no vendor \"%s\" in the project as of commit %.8s: ", vendor, at->hash);
	if (removed)
		fprintf(stderr, "%s was removed by commit %s\n", removed->path,
			history_commit_text(arena, removed->commit));
	else
		fputs("no vendor file declared it up to then\n", stderr);
	return EXPLAIN_BAD_QUERY;
}
