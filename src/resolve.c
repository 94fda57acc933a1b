#include "vendorc/resolve.h"

#include "vendorc/arena.h"
#include "vendorc/ast.h"
#include "vendorc/catalog.h"
#include "vendorc/diag.h"
#include "vendorc/fmt.h"
#include "vendorc/init.h"
#include "vendorc/ir.h"
#include "vendorc/isolation.h"
#include "vendorc/limits.h"
#include "vendorc/lockfile.h"
#include "vendorc/parallel.h"
#include "vendorc/project.h"
#include "vendorc/validate.h"
#include "vendorc/when.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* One vendor file on its way to an ir_vendor. header_ok says its name,
 * expiry and `runs in` resolved, so its namespace and pods can be used by
 * the checks across vendors. */
struct vendor_ctx {
	const struct ast_vendor *ast;
	struct ir_vendor *ir;
	const struct ast_stmt *first[AST_STMT_KIND_COUNT];
	bool complete;   /* every required statement there, none repeated */
	bool header_ok;
	struct vec reaches_vendor; /* struct vendor_reach *: allows into another vendor's
	                            * namespace, reported at that vendor (report_reached) */
};

/* An allow of one vendor that reaches into the namespace another runs in. */
struct vendor_reach {
	const struct vendor_ctx *there;
	struct loc loc;
	size_t order;    /* among all reaches, in vendor and file order */
};

struct resolver {
	struct arena *arena;
	struct diag_set *diags;
	const struct resolve_input *in;
	struct vendor_ctx *vendors;
	size_t vendor_count;
	struct vec denied;              /* const char *, sorted unique */
	struct vec by_namespace;        /* struct vendor_ctx * with header_ok, see compare_ctx */
	struct vec isolated;            /* const char *: the project's isolate, sorted */
	struct vec known_namespaces;    /* const char *: what the catalog shows, sorted */
	bool namespaces_dumped;         /* the catalog has every Namespace object */
	struct isolation *iso;
};

/* Which statements may hold what kind of port (docs/semantics.md section 1, Ports). */
enum port_context { PORTS_SERVICE, PORTS_PODS, PORTS_FROM, PORTS_EGRESS };

struct port_spec {
	int port;
	int end;
	const char *name;
	enum net_proto proto;
	bool proto_given;
	struct loc loc;
};

static const char *
basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* ---- words: names, labels, ports, CIDRs ---- */

static bool
check_name(struct resolver *r, const struct ast_word *word, const char *what)
{
	const char *why = validate_dns_label(word->text);
	if (!why)
		return true;
	diag_report(r->diags, DIAG_BAD_NAME, &word->loc, "invalid %s name \"%s\": %s",
		what, word->text, why);
	return false;
}

bool
resolve_check_label(struct diag_set *diags, const struct ast_label *label)
{
	const char *why = validate_label_key(label->key.text);
	if (why) {
		diag_report(diags, DIAG_BAD_LABEL, &label->key.loc, "invalid label key \"%s\": %s",
			label->key.text, why);
		return false;
	}
	if (!label->quoted && !*label->value.text) {
		struct diag *d = diag_report(diags, DIAG_BAD_LABEL, &label->loc,
			"label \"%s\" has an empty value", label->key.text);
		diag_hint(d, "write %s=\"\" if the empty value is meant", label->key.text);
		return false;
	}
	why = validate_label_value(label->value.text);
	if (why) {
		diag_report(diags, DIAG_BAD_LABEL, &label->value.loc,
			"invalid label value \"%s\": %s", label->value.text, why);
		return false;
	}
	return true;
}

static bool
resolve_labels(struct resolver *r, const struct ast_list *list, struct selector *out)
{
	struct label *labels = arena_array(r->arena, list->count, sizeof(*labels));
	bool ok = true;
	for (size_t i = 0; i < list->count; i++) {
		const struct ast_label *label = &list->labels[i];
		ok &= resolve_check_label(r->diags, label);
		for (size_t j = 0; j < i; j++)
			if (strcmp(list->labels[j].key.text, label->key.text) == 0) {
				diag_report(r->diags, DIAG_BAD_LABEL, &label->key.loc,
					"label key \"%s\" given twice", label->key.text);
				ok = false;
			}
		labels[i] = (struct label){ label->key.text, label->value.text };
	}
	*out = selector_from_labels(r->arena, labels, list->count);
	return ok;
}

/* A port number: decimal, no leading zero, 1 to 65535. */
static bool
parse_port_number(const char *text, size_t len, int *out)
{
	if (len == 0 || len > 5 || text[0] == '0')
		return false;
	int value = 0;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)text[i]))
			return false;
		value = value * 10 + (text[i] - '0');
	}
	*out = value;
	return value >= 1 && value <= 65535;
}

static bool
all_digits(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)text[i]))
			return false;
	return len > 0;
}

static bool
port_error(struct resolver *r, const struct ast_word *word, const char *why)
{
	struct diag *d = diag_report(r->diags, DIAG_BAD_PORT, &word->loc, "invalid port \"%s\": %s",
		word->text, why);
	diag_hint(d, "a port is N, N-M or an IANA name, optionally followed by /tcp, /udp or /sctp");
	return false;
}

/* The number or range part of a port, text[0..len). */
static bool
parse_port_numbers(struct resolver *r, const struct ast_word *word, const char *text, size_t len,
	struct port_spec *out)
{
	const char *dash = memchr(text, '-', len);
	if (!dash)
		return parse_port_number(text, len, &out->port)
			|| port_error(r, word, "a port number is 1 to 65535, without leading zeros");
	size_t first_len = (size_t)(dash - text);
	if (!parse_port_number(text, first_len, &out->port)
		|| !parse_port_number(dash + 1, len - first_len - 1, &out->end))
		return port_error(r, word, "a range is two port numbers (1 to 65535) joined by '-'");
	if (out->port >= out->end)
		return port_error(r, word, "a range must start below its end");
	return true;
}

static bool
parse_port_protocol(struct resolver *r, const struct ast_word *word, const char *slash,
	struct port_spec *out)
{
	out->proto = NET_TCP;
	if (!slash)
		return true;
	out->proto_given = true;
	return net_parse_proto(slash + 1, &out->proto)
		|| port_error(r, word, "the protocol is tcp, udp or sctp");
}

static bool
port_allowed(struct resolver *r, const struct ast_word *word, const struct port_spec *spec,
	enum port_context ctx)
{
	if (spec->end && ctx == PORTS_SERVICE) {
		struct diag *d = diag_report(r->diags, DIAG_PORT_RANGE_NOT_ALLOWED, &word->loc,
			"a port range cannot select Service ports");
		diag_hint(d, "name each Service port, or use `allow pods` for a range of pod ports");
		return false;
	}
	if (spec->name && ctx == PORTS_EGRESS) {
		struct diag *d = diag_report(r->diags, DIAG_PORT_NAME_NOT_ALLOWED, &word->loc,
			"port name \"%s\" means nothing to an outside destination", spec->name);
		diag_hint(d, "give the port number");
		return false;
	}
	return true;
}

static bool
parse_port(struct resolver *r, const struct ast_word *word, enum port_context ctx,
	struct port_spec *out)
{
	*out = (struct port_spec){ .loc = word->loc };
	const char *slash = strchr(word->text, '/');
	size_t len = slash ? (size_t)(slash - word->text) : strlen(word->text);
	if (!parse_port_protocol(r, word, slash, out))
		return false;
	const char *dash = memchr(word->text, '-', len);
	bool numeric = all_digits(word->text, len)
		|| (dash && all_digits(word->text, (size_t)(dash - word->text)));
	if (numeric) {
		if (!parse_port_numbers(r, word, word->text, len, out))
			return false;
	} else {
		char *name = arena_strndup(r->arena, word->text, len);
		const char *why = validate_port_name(name);
		if (why)
			return port_error(r, word, why);
		out->name = name;
	}
	return port_allowed(r, word, out, ctx);
}

static bool
parse_ports(struct resolver *r, const struct ast_list *list, enum port_context ctx,
	struct port_spec **out)
{
	struct port_spec *specs = arena_array(r->arena, list->count, sizeof(*specs));
	bool ok = true;
	for (size_t i = 0; i < list->count; i++)
		ok &= parse_port(r, &list->words[i], ctx, &specs[i]);
	*out = specs;
	return ok;
}

static struct ir_port *
ir_port_new(struct resolver *r, enum net_proto proto, int port, int end, const char *name)
{
	struct ir_port *p = arena_alloc(r->arena, sizeof(*p));
	*p = (struct ir_port){ proto, port, end, name };
	return p;
}

static bool
cidr_error(struct resolver *r, const struct loc *loc, const char *text, enum net_cidr_error error)
{
	if (error == NET_CIDR_HOST_BITS) {
		struct diag *d = diag_report(r->diags, DIAG_CIDR_HOST_BITS, loc,
			"CIDR \"%s\" has host bits set", text);
		diag_hint(d, "%s", net_host_bits_hint(r->arena, text));
		return false;
	}
	diag_report(r->diags, DIAG_BAD_CIDR, loc, "invalid %s \"%s\"",
		error == NET_CIDR_PREFIX ? "prefix length in" : "address or CIDR", text);
	return false;
}

static void
note_origin(struct diag *d, const struct loc *note)
{
	if (note)
		diag_note(d, note, "the range comes from here");
}

/* IPv4 written as IPv6 would dodge the IPv4 rules (::ffff:0.0.0.0/96 is
 * all of IPv4), and CNIs disagree on whether such a block matches IPv4
 * traffic at all: refused, with the IPv4 spelling as the hint. */
static bool
check_not_mapped(struct resolver *r, const struct loc *loc, const struct net_cidr *cidr,
	const struct loc *note)
{
	struct net_cidr ipv4;
	if (!net_cidr_ipv4_mapped(cidr, &ipv4))
		return true;
	struct diag *d = diag_report(r->diags, DIAG_BAD_CIDR, loc,
		"\"%s\" holds IPv4-mapped IPv6 addresses (::ffff:a.b.c.d)",
		net_format_cidr(r->arena, cidr));
	if (ipv4.prefix == 0)
		diag_hint(d, "it holds every IPv4 address; name the vendor's own ranges");
	else
		diag_hint(d, "write the IPv4 range %s", net_format_cidr(r->arena, &ipv4));
	note_origin(d, note);
	return false;
}

/* Checks every CIDR a vendor reaches or is reached from, wherever it came
 * from (the file, the lock): no /0, no IPv4 written as IPv6 and nothing
 * inside the cluster. note, when set, points at where the CIDR was written
 * if not at loc. */
static bool
check_outside_cidr(struct resolver *r, const struct loc *loc, const struct net_cidr *cidr,
	const struct loc *note)
{
	const char *text = net_format_cidr(r->arena, cidr);
	if (cidr->prefix == 0) {
		struct diag *d = diag_report(r->diags, DIAG_CIDR_ZERO_PREFIX, loc,
			"\"%s\" would allow every address", text);
		diag_hint(d, "name the vendor's own ranges");
		note_origin(d, note);
		return false;
	}
	if (!check_not_mapped(r, loc, cidr, note))
		return false;
	const struct vec *cluster = &r->in->project->cluster_cidrs;
	for (size_t i = 0; i < cluster->len; i++) {
		const struct project_cidr *pc = vec_at(cluster, i);
		if (!net_cidr_overlaps(cidr, &pc->cidr))
			continue;
		struct diag *d = diag_report(r->diags, DIAG_CIDR_CLUSTER_OVERLAP, loc,
			"\"%s\" overlaps the cluster range %s", text, net_format_cidr(r->arena, &pc->cidr));
		diag_hint(d, "reach pods and Services with `allow service` or `allow pods`");
		note_origin(d, note);
		diag_note(d, &pc->loc, "cluster range declared here");
		return false;
	}
	return true;
}

static bool
resolve_cidr(struct resolver *r, const struct ast_word *word, struct net_cidr *out)
{
	enum net_cidr_error error = net_parse_cidr(word->text, out);
	if (error != NET_CIDR_OK)
		return cidr_error(r, &word->loc, word->text, error);
	return check_outside_cidr(r, &word->loc, out, NULL);
}

/* NULL when the range is narrow enough; else the warning, for a note. */
static struct diag *
warn_wide(struct resolver *r, const struct loc *at, const struct net_cidr *cidr)
{
	int widest = cidr->family == 4 ? 16 : 32;
	if (cidr->prefix >= widest)
		return NULL;
	struct diag *d = diag_report(r->diags, DIAG_WIDE_CIDR, at,
		"egress to %s is wider than /%d", net_format_cidr(r->arena, cidr), widest);
	diag_hint(d, "ask the vendor for its published ranges");
	return d;
}

/* ---- flows ---- */

static struct ir_flow *
flow_new(struct resolver *r, struct vendor_ctx *v, const struct ast_stmt *stmt,
	enum ir_direction dir, enum ir_peer_kind kind)
{
	struct ir_flow *flow = arena_alloc(r->arena, sizeof(*flow));
	flow->dir = dir;
	flow->kind = kind;
	flow->loc = stmt->loc;
	flow->origin = fmt_stmt(r->arena, stmt);
	flow->peer_written = stmt->arg.text;
	flow->names_service = stmt->kind == AST_ALLOW_SERVICE || stmt->kind == AST_ALLOW_FROM_SERVICE;
	vec_push(r->arena, &v->ir->flows, flow);
	return flow;
}

static void
flow_add_cidr(struct resolver *r, struct ir_flow *flow, const struct net_cidr *cidr)
{
	struct net_cidr *copy = arena_alloc(r->arena, sizeof(*copy));
	*copy = *cidr;
	vec_push(r->arena, &flow->cidrs, copy);
}

static void
flow_add_specs(struct resolver *r, struct ir_flow *flow, const struct port_spec *specs, size_t count)
{
	for (size_t i = 0; i < count; i++)
		vec_push(r->arena, &flow->ports,
			ir_port_new(r, specs[i].proto, specs[i].port, specs[i].end, specs[i].name));
}

static int
ctx_ns_order(const void *key, const void *item)
{
	return strcmp(key, ((const struct vendor_ctx *)item)->ir->pods.ns);
}

/* By namespace, then in file order (the contexts are one array). */
static int
compare_ctx(const void *a, const void *b)
{
	const struct vendor_ctx *x = *(const struct vendor_ctx *const *)a;
	const struct vendor_ctx *y = *(const struct vendor_ctx *const *)b;
	int by_ns = strcmp(x->ir->pods.ns, y->ir->pods.ns);
	return by_ns ? by_ns : (x > y) - (x < y);
}

/* The first vendor (in file order) that runs in ns, or NULL. */
static const struct vendor_ctx *
vendor_in_namespace(const struct resolver *r, const char *ns)
{
	return vec_find(&r->by_namespace, ns, ctx_ns_order);
}

/* docs/semantics.md 5: an allow may not reach into a namespace where a
 * vendor runs. pods: the peer pods the allow names there. */
static bool
check_peer_namespace(struct resolver *r, struct vendor_ctx *v, const struct loc *loc,
	const char *ns, const struct selector *pods)
{
	const struct vendor_ctx *there = vendor_in_namespace(r, ns);
	if (!there)
		return true;
	bool own = there == v || strcmp(there->ir->pods.ns, v->ir->pods.ns) == 0;
	if (!own && !selector_can_overlap(r->arena, pods, &there->ir->pods.pods)) {
		/* Pods that are not the vendor's: the vendor runs in an
		 * application namespace, and that is the mistake to report, once,
		 * at its `runs in` (report_reached), not at every allow. */
		struct vendor_reach *reach = arena_alloc(r->arena, sizeof(*reach));
		*reach = (struct vendor_reach){ there, *loc, 0 };
		vec_push(r->arena, &v->reaches_vendor, reach);
		return false;
	}
	struct diag *d = own
		? diag_report(r->diags, DIAG_TARGET_IN_VENDOR_NAMESPACE, loc,
			"traffic within the vendor's own namespace \"%s\" is not expressible yet", ns)
		: diag_report(r->diags, DIAG_TARGET_IN_VENDOR_NAMESPACE, loc,
			"namespace \"%s\" is where vendor \"%s\" runs", ns, there->ir->name);
	diag_hint(d, "vendor namespaces stay default-deny; an allow cannot reach into one");
	diag_note(d, &there->first[AST_RUNS_IN]->loc, "vendor \"%s\" runs here", there->ir->name);
	return false;
}

/* A namespace the catalog does not know is a typo when the catalog has
 * them all, or when it knows one spelled alike (two edits); otherwise it
 * may just not be in a hand-written catalog. A typo in `runs in` or
 * `isolate` leaves the real namespace open. */
static void
warn_unknown_namespace(struct resolver *r, const struct loc *loc, const char *ns)
{
	const struct vec *known = &r->known_namespaces;
	if (vec_find(known, ns, vec_string_order))
		return;
	const char *near = diag_nearest_within(ns, (const char *const *)known->items, known->len, 2);
	if (!near && !r->namespaces_dumped)
		return;
	struct diag *d = diag_report(r->diags, DIAG_UNKNOWN_NAMESPACE, loc,
		"namespace \"%s\" is not in the catalog", ns);
	if (near)
		diag_hint(d, "did you mean \"%s\"?", near);
	else
		diag_hint(d, "the catalog's dump of the cluster's Namespaces does not include it: "
			"fix the name, or dump the catalog again if the namespace is new");
}

static int
compare_reach(const void *a, const void *b)
{
	const struct vendor_reach *x = *(const struct vendor_reach *const *)a;
	const struct vendor_reach *y = *(const struct vendor_reach *const *)b;
	if (x->there != y->there)
		return x->there < y->there ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

/* One error per vendor whose namespace others reach into, at its `runs in`,
 * with a note at each allow that does. */
static void
report_reached(struct resolver *r)
{
	struct vec all = { 0 };
	for (size_t i = 0; i < r->vendor_count; i++)
		for (size_t j = 0; j < r->vendors[i].reaches_vendor.len; j++) {
			struct vendor_reach *reach = vec_at(&r->vendors[i].reaches_vendor, j);
			reach->order = all.len;
			vec_push(r->arena, &all, reach);
		}
	vec_sort(&all, compare_reach);
	struct diag *d = NULL;
	for (size_t i = 0; i < all.len; i++) {
		const struct vendor_reach *reach = vec_at(&all, i);
		const struct vendor_ctx *there = reach->there;
		if (i == 0 || there != ((const struct vendor_reach *)vec_at(&all, i - 1))->there) {
			d = diag_report(r->diags, DIAG_TARGET_IN_VENDOR_NAMESPACE, &there->first[AST_RUNS_IN]->loc,
				"vendor \"%s\" runs in \"%s\", a namespace other vendors' allows reach into",
				there->ir->name, there->ir->pods.ns);
			diag_hint(d, "a vendor's namespace is default-deny and nothing may reach into it: "
				"run the vendor's pods in a namespace of their own (README, \"A vendor next to "
				"application pods\")");
		}
		diag_note(d, &reach->loc, "an allow into \"%s\"", there->ir->pods.ns);
	}
}

/* "did you mean": a name spelled alike in the same namespace, or the same
 * name in a namespace spelled alike. Comparing whole "ns/name" strings
 * would let a shared namespace make any name look close. */
static const char *
nearest_service(struct resolver *r, const char *ns, const char *name)
{
	const struct vec *services = &r->in->catalog->services;
	const char **names = arena_array(r->arena, services->len + 1, sizeof(*names));
	const char **namespaces = arena_array(r->arena, services->len + 1, sizeof(*namespaces));
	size_t name_count = 0, ns_count = 0;
	for (size_t i = 0; i < services->len; i++) {
		const struct service *svc = vec_at(services, i);
		if (strcmp(svc->ns, ns) == 0)
			names[name_count++] = svc->name;
		if (strcmp(svc->name, name) == 0)
			namespaces[ns_count++] = svc->ns;
	}
	const char *near_name = diag_nearest(name, names, name_count);
	if (near_name)
		return arena_printf(r->arena, "%s/%s", ns, near_name);
	const char *near_ns = diag_nearest(ns, namespaces, ns_count);
	return near_ns ? arena_printf(r->arena, "%s/%s", near_ns, name) : NULL;
}

static const struct service *
lookup_service(struct resolver *r, const struct ast_word *ref)
{
	const char *slash = strchr(ref->text, '/');
	char *ns = slash ? arena_strndup(r->arena, ref->text, (size_t)(slash - ref->text)) : NULL;
	if (!slash || strchr(slash + 1, '/') || validate_dns_label(ns) || validate_dns_label(slash + 1)) {
		struct diag *d = diag_report(r->diags, DIAG_BAD_SERVICE_REF, &ref->loc,
			"malformed Service reference \"%s\"", ref->text);
		diag_hint(d, "write NAMESPACE/SERVICE, both DNS-1123 labels, e.g. payments/api");
		return NULL;
	}
	const struct service *svc = catalog_service(r->in->catalog, ns, slash + 1);
	if (svc)
		return svc;
	struct diag *d = diag_report(r->diags, DIAG_UNKNOWN_SERVICE, &ref->loc,
		"no Service \"%s\" in the catalog", ref->text);
	const char *nearest = nearest_service(r, ns, slash + 1);
	if (nearest)
		diag_hint(d, "did you mean \"%s\"?", nearest);
	return NULL;
}

static const char *
service_port_text(struct resolver *r, const struct service_port *sp)
{
	return sp->name ? arena_printf(r->arena, "%s (%d/%s)", sp->name, sp->port, net_proto_name(sp->proto))
			: arena_printf(r->arena, "%d/%s", sp->port, net_proto_name(sp->proto));
}

static bool
service_port_matches(const struct service_port *sp, const struct port_spec *spec)
{
	if (spec->name)
		return sp->name && strcmp(sp->name, spec->name) == 0;
	return sp->port == spec->port;
}

/* The Service port whose targetPort is the number, or NULL: a user who
 * knows the pods' port writes it where vendorc wants the Service's. */
static const struct service_port *
service_port_targeting(const struct service *svc, int number)
{
	for (size_t i = 0; i < svc->ports.len; i++) {
		const struct service_port *sp = vec_at(&svc->ports, i);
		if (sp->target_port == number)
			return sp;
	}
	return NULL;
}

static void
report_unknown_port(struct resolver *r, const struct service *svc, const struct port_spec *spec,
	bool protocol_differs)
{
	const char *wanted = spec->name ? spec->name : arena_printf(r->arena, "%d", spec->port);
	struct diag *d = protocol_differs
		? diag_report(r->diags, DIAG_SERVICE_PROTOCOL_MISMATCH, &spec->loc,
			"Service \"%s/%s\" has no port %s with protocol %s", svc->ns, svc->name, wanted,
			net_proto_name(spec->proto))
		: diag_report(r->diags, DIAG_UNKNOWN_SERVICE_PORT, &spec->loc,
			"Service \"%s/%s\" has no port %s", svc->ns, svc->name, wanted);
	const char *ports = "";
	for (size_t i = 0; i < svc->ports.len; i++)
		ports = arena_printf(r->arena, "%s%s%s", ports, i ? ", " : "",
			service_port_text(r, vec_at(&svc->ports, i)));
	const struct service_port *behind = spec->name || protocol_differs ? NULL
		: service_port_targeting(svc, spec->port);
	if (behind)
		diag_hint(d, "%d is the pods' port behind Service port %s: write `port %s`; its ports: %s",
			spec->port, service_port_text(r, behind), behind->name
				? arena_printf(r->arena, "%s` or `port %d", behind->name, behind->port)
				: arena_printf(r->arena, "%d", behind->port), ports);
	else
		diag_hint(d, "its ports: %s", svc->ports.len ? ports : "none");
}

/* The Service ports the statement names (all when it names none). */
static bool
choose_service_ports(struct resolver *r, const struct ast_stmt *stmt, const struct service *svc,
	const struct port_spec *specs, struct vec *chosen)
{
	size_t count = stmt->ports.count;
	if (count == 0 && svc->ports.len == 0) {
		/* No ports would emit an empty ports list: every port, not none. */
		struct diag *d = diag_report(r->diags, DIAG_UNKNOWN_SERVICE_PORT, &stmt->arg.loc,
			"Service \"%s/%s\" has no ports", svc->ns, svc->name);
		diag_hint(d, "use `allow pods` with the pod ports instead");
		return false;
	}
	if (count == 0) {
		*chosen = svc->ports;
		return true;
	}
	bool ok = true;
	for (size_t i = 0; i < count; i++) {
		bool any = false, other_proto = false;
		for (size_t j = 0; j < svc->ports.len; j++) {
			struct service_port *sp = vec_at(&svc->ports, j);
			if (!service_port_matches(sp, &specs[i]))
				continue;
			if (specs[i].proto_given && sp->proto != specs[i].proto) {
				other_proto = true;
				continue;
			}
			vec_push(r->arena, chosen, sp);
			any = true;
		}
		if (!any)
			report_unknown_port(r, svc, &specs[i], other_proto);
		ok &= any;
	}
	return ok;
}

/* The endpoint port of a group that carries a Service port: same name
 * (or both unnamed) and protocol. */
static const struct endpoint_port *
endpoint_port_for(const struct endpoint_group *group, const struct service_port *sp)
{
	for (size_t i = 0; i < group->ports.len; i++) {
		const struct endpoint_port *ep = vec_at(&group->ports, i);
		bool same_name = (!ep->name && !sp->name) || (ep->name && sp->name && strcmp(ep->name, sp->name) == 0);
		if (same_name && ep->proto == sp->proto)
			return ep;
	}
	return NULL;
}

static bool
report_no_endpoints(struct resolver *r, const struct ast_stmt *stmt, const struct service *svc,
	const struct service_port *sp)
{
	struct diag *d = sp
		? diag_report(r->diags, DIAG_SERVICE_NO_ENDPOINTS, &stmt->arg.loc,
			"Service \"%s/%s\" port %s has no endpoint port of the same name",
			svc->ns, svc->name, service_port_text(r, sp))
		: diag_report(r->diags, DIAG_SERVICE_NO_ENDPOINTS, &stmt->arg.loc,
			"Service \"%s/%s\" has no selector and no endpoints in the catalog",
			svc->ns, svc->name);
	diag_hint(d, "add its Endpoints or EndpointSlice to the catalog "
		"(kubectl get endpointslices -A -o yaml)");
	diag_note(d, &svc->loc, "the Service is defined here");
	return false;
}

/* Every chosen Service port must be carried by some group of endpoints. */
static bool
check_endpoint_ports(struct resolver *r, const struct ast_stmt *stmt, const struct service *svc,
	const struct vec *chosen)
{
	if (svc->endpoints.len == 0)
		return report_no_endpoints(r, stmt, svc, NULL);
	for (size_t i = 0; i < chosen->len; i++) {
		bool carried = false;
		for (size_t g = 0; g < svc->endpoints.len && !carried; g++)
			carried = endpoint_port_for(vec_at(&svc->endpoints, g), vec_at(chosen, i));
		if (!carried)
			return report_no_endpoints(r, stmt, svc, vec_at(chosen, i));
	}
	return true;
}

/* A Service without a selector: per group of endpoints (an Endpoints
 * subset or an EndpointSlice), its addresses on the endpoint ports that
 * carry the chosen Service ports, since each address serves only the ports
 * of its own group. */
static bool
add_endpoint_flows(struct resolver *r, struct vendor_ctx *v, const struct ast_stmt *stmt,
	const struct service *svc, const struct vec *chosen)
{
	if (!check_endpoint_ports(r, stmt, svc, chosen))
		return false;
	for (size_t g = 0; g < svc->endpoints.len; g++) {
		const struct endpoint_group *group = vec_at(&svc->endpoints, g);
		struct ir_flow *flow = NULL;
		for (size_t i = 0; i < chosen->len; i++) {
			const struct endpoint_port *ep = endpoint_port_for(group, vec_at(chosen, i));
			if (!ep)
				continue;
			if (!flow) {
				flow = flow_new(r, v, stmt, IR_EGRESS, IR_PEER_CIDR);
				flow->cidrs = group->addresses;
				flow->service_host = arena_printf(r->arena, "%s.%s.svc", svc->name, svc->ns);
			}
			vec_push(r->arena, &flow->ports, ir_port_new(r, ep->proto, ep->port, 0, NULL));
		}
	}
	return true;
}

/* The pods behind a Service with a selector, on its targetPorts and
 * protocols: the ports as those pods see them. */
static bool
add_selected_pods_flow(struct resolver *r, struct vendor_ctx *v, const struct ast_stmt *stmt,
	const struct service *svc, const struct vec *chosen)
{
	if (!check_peer_namespace(r, v, &stmt->arg.loc, svc->ns, &svc->selector))
		return false;
	struct ir_flow *flow = flow_new(r, v, stmt, IR_EGRESS, IR_PEER_PODS);
	flow->pods = (struct ir_pods){ svc->ns, svc->selector };
	for (size_t i = 0; i < chosen->len; i++) {
		const struct service_port *sp = vec_at(chosen, i);
		vec_push(r->arena, &flow->ports, ir_port_new(r, sp->proto, sp->target_port, 0, sp->target_name));
	}
	return true;
}

static bool
resolve_allow_service(struct resolver *r, struct vendor_ctx *v, const struct ast_stmt *stmt)
{
	struct port_spec *specs;
	bool ok = parse_ports(r, &stmt->ports, PORTS_SERVICE, &specs);
	const struct service *svc = lookup_service(r, &stmt->arg);
	struct vec chosen = { 0 };
	if (!svc || !ok || !choose_service_ports(r, stmt, svc, specs, &chosen))
		return false;
	return svc->has_selector ? add_selected_pods_flow(r, v, stmt, svc, &chosen)
				 : add_endpoint_flows(r, v, stmt, svc, &chosen);
}

static bool
container_port_matches(const struct container_port *cp, const struct port_spec *spec)
{
	if (spec->name)
		return cp->name && strcmp(cp->name, spec->name) == 0;
	return cp->proto == spec->proto && spec->port <= cp->number
		&& cp->number <= (spec->end ? spec->end : spec->port);
}

/* The catalog's workloads of the pods, when each declares container ports
 * (else nothing is known), and none declares this one: the likeliest
 * reason is a Service port written where the pods' port is meant. */
static void
warn_undeclared_pod_port(struct resolver *r, const char *ns, const struct selector *pods,
	const struct port_spec *spec)
{
	const struct vec *workloads = &r->in->catalog->workloads;
	const char *declared = NULL;
	for (size_t i = 0; i < workloads->len; i++) {
		const struct workload *w = vec_at(workloads, i);
		if (strcmp(w->ns, ns) != 0 || !selector_matches(pods, w->labels, w->label_count))
			continue;
		if (w->ports.len == 0)
			return;
		for (size_t j = 0; j < w->ports.len; j++) {
			const struct container_port *cp = vec_at(&w->ports, j);
			if (container_port_matches(cp, spec))
				return;
			declared = arena_printf(r->arena, "%s%s%d/%s", declared ? declared : "",
				declared ? ", " : "", cp->number, net_proto_name(cp->proto));
		}
	}
	if (!declared)
		return;
	const char *port = spec->name ? arena_printf(r->arena, "port \"%s\"", spec->name)
		: spec->end ? arena_printf(r->arena, "%s ports %d-%d", net_proto_name(spec->proto), spec->port, spec->end)
		: arena_printf(r->arena, "%s port %d", net_proto_name(spec->proto), spec->port);
	struct diag *d = diag_report(r->diags, DIAG_POD_PORT_UNDECLARED, &spec->loc,
		"no catalog workload of %s in \"%s\" declares %s", selector_pods_text(r->arena, pods),
		ns, port);
	diag_hint(d, "their containers declare %s; `allow pods` takes the pods' own port, not a "
		"Service's", declared);
}

static bool
resolve_allow_pods(struct resolver *r, struct vendor_ctx *v, const struct ast_stmt *stmt)
{
	struct port_spec *specs;
	struct selector pods;
	bool ok = parse_ports(r, &stmt->ports, PORTS_PODS, &specs);
	ok &= resolve_labels(r, &stmt->labels, &pods);
	ok &= check_name(r, &stmt->arg, "namespace");
	if (!ok || !check_peer_namespace(r, v, &stmt->arg.loc, stmt->arg.text, &pods))
		return false;
	warn_unknown_namespace(r, &stmt->arg.loc, stmt->arg.text);
	for (size_t i = 0; i < stmt->ports.count; i++)
		warn_undeclared_pod_port(r, stmt->arg.text, &pods, &specs[i]);
	struct ir_flow *flow = flow_new(r, v, stmt, IR_EGRESS, IR_PEER_PODS);
	flow->pods = (struct ir_pods){ stmt->arg.text, pods };
	flow_add_specs(r, flow, specs, stmt->ports.count);
	return true;
}

/* The pods behind the Service, or for one without a selector every
 * endpoint address, may connect to the vendor's pods on the given ports
 * (ports of the vendor's pods, so the Service's own ports do not matter). */
static bool
resolve_allow_from_service(struct resolver *r, struct vendor_ctx *v, const struct ast_stmt *stmt)
{
	struct port_spec *specs;
	bool ok = parse_ports(r, &stmt->ports, PORTS_FROM, &specs);
	const struct service *svc = lookup_service(r, &stmt->arg);
	if (!svc || !ok)
		return false;
	if (svc->has_selector && !check_peer_namespace(r, v, &stmt->arg.loc, svc->ns, &svc->selector))
		return false;
	if (!svc->has_selector && svc->endpoints.len == 0)
		return report_no_endpoints(r, stmt, svc, NULL);
	struct ir_flow *flow = flow_new(r, v, stmt, IR_INGRESS,
		svc->has_selector ? IR_PEER_PODS : IR_PEER_CIDR);
	flow->pods = (struct ir_pods){ svc->ns, svc->selector };
	for (size_t g = 0; !svc->has_selector && g < svc->endpoints.len; g++) {
		const struct endpoint_group *group = vec_at(&svc->endpoints, g);
		for (size_t i = 0; i < group->addresses.len; i++)
			flow_add_cidr(r, flow, vec_at(&group->addresses, i));
	}
	flow_add_specs(r, flow, specs, stmt->ports.count);
	return true;
}

static bool
resolve_allow_from_cidr(struct resolver *r, struct vendor_ctx *v, const struct ast_stmt *stmt)
{
	struct port_spec *specs;
	struct net_cidr cidr;
	bool ok = parse_ports(r, &stmt->ports, PORTS_FROM, &specs);
	if (!resolve_cidr(r, &stmt->arg, &cidr) || !ok)
		return false;
	struct ir_flow *flow = flow_new(r, v, stmt, IR_INGRESS, IR_PEER_CIDR);
	flow_add_cidr(r, flow, &cidr);
	flow_add_specs(r, flow, specs, stmt->ports.count);
	return true;
}

static bool
lock_domain(struct resolver *r, const struct ast_stmt *stmt, const char *domain, struct ir_flow *flow)
{
	const struct lock_entry *entry = lockfile_find(r->in->lock, domain);
	if (!entry) {
		if (r->in->project->backend != PROJECT_BACKEND_NETWORKPOLICY)
			return true;
		struct diag *d = diag_report(r->diags, DIAG_DOMAIN_NOT_LOCKED, &stmt->arg.loc,
			"domain \"%s\" is not in the lock file \"%s\"", domain, r->in->project->lock.display);
		if (domain[0] == '*')
			diag_hint(d, "a wildcard cannot be resolved: add its ranges by hand, "
				"e.g. \"%s: [203.0.113.0/24]\"", domain);
		else
			diag_hint(d, "run `vendorc lock` to resolve it, or add its published ranges by hand");
		return false;
	}
	bool ok = true;
	for (size_t i = 0; i < entry->cidrs.len; i++) {
		const struct net_cidr *cidr = vec_at(&entry->cidrs, i);
		ok &= check_outside_cidr(r, &stmt->arg.loc, cidr, &entry->loc);
		/* A range a lock entry gives is as wide open as one in the vendor file. */
		struct diag *wide = warn_wide(r, &entry->loc, cidr);
		if (wide)
			diag_note(wide, &stmt->arg.loc, "the egress to \"%s\" reaches it", domain);
	}
	flow->cidrs = entry->cidrs;
	return ok;
}

static bool
looks_like_cidr(const char *text)
{
	return strchr(text, '/') || strchr(text, ':') || net_looks_like_address(text);
}

static bool
egress_to_domain(const struct ast_stmt *stmt)
{
	return stmt->kind == AST_EGRESS && !looks_like_cidr(stmt->arg.text);
}

static bool
resolve_egress(struct resolver *r, struct vendor_ctx *v, const struct ast_stmt *stmt)
{
	struct port_spec *specs;
	bool ok = parse_ports(r, &stmt->ports, PORTS_EGRESS, &specs);
	if (looks_like_cidr(stmt->arg.text)) {
		struct net_cidr cidr;
		if (!resolve_cidr(r, &stmt->arg, &cidr) || !ok)
			return false;
		warn_wide(r, &stmt->arg.loc, &cidr);
		struct ir_flow *flow = flow_new(r, v, stmt, IR_EGRESS, IR_PEER_CIDR);
		flow_add_cidr(r, flow, &cidr);
		flow_add_specs(r, flow, specs, stmt->ports.count);
		return true;
	}
	const char *why = validate_domain(stmt->arg.text);
	if (why) {
		diag_report(r->diags, DIAG_BAD_DOMAIN, &stmt->arg.loc, "invalid domain \"%s\": %s",
			stmt->arg.text, why);
		return false;
	}
	const char *domain = arena_strdup_lower(r->arena, stmt->arg.text);
	struct ir_flow *flow = flow_new(r, v, stmt, IR_EGRESS, IR_PEER_DOMAIN);
	flow->domain = domain;
	flow_add_specs(r, flow, specs, stmt->ports.count);
	return lock_domain(r, stmt, domain, flow) && ok;
}

/* docs/semantics.md 3.2: DNS to the cluster resolver iff the vendor names a Service or
 * a domain, since only those need a name looked up. */
static bool
add_dns(struct resolver *r, struct vendor_ctx *v, const struct ast_stmt *reason)
{
	const struct project *project = r->in->project;
	struct ir_flow *flow = arena_alloc(r->arena, sizeof(*flow));
	flow->dir = IR_EGRESS;
	flow->kind = IR_PEER_PODS;
	flow->dns = true;
	flow->loc = reason->loc;
	flow->origin = "dns";
	flow->pods = (struct ir_pods){ project->dns_namespace.name, project->dns_pods };
	vec_push(r->arena, &flow->ports, ir_port_new(r, NET_UDP, 53, 0, NULL));
	vec_push(r->arena, &flow->ports, ir_port_new(r, NET_TCP, 53, 0, NULL));
	if (!check_peer_namespace(r, v, &project->dns_namespace.loc, flow->pods.ns, &flow->pods.pods))
		return false;
	vec_push(r->arena, &v->ir->flows, flow);
	if (project->dns_addresses.len == 0)
		return true;
	struct ir_flow *addresses = arena_alloc(r->arena, sizeof(*addresses));
	*addresses = *flow;
	addresses->kind = IR_PEER_CIDR;
	addresses->pods = (struct ir_pods){ 0 };
	addresses->cidrs = (struct vec){ 0 };
	for (size_t i = 0; i < project->dns_addresses.len; i++)
		flow_add_cidr(r, addresses, &((struct project_cidr *)vec_at(&project->dns_addresses, i))->cidr);
	vec_push(r->arena, &v->ir->flows, addresses);
	return true;
}

static bool
resolve_statement(struct resolver *r, struct vendor_ctx *v, const struct ast_stmt *stmt)
{
	switch (stmt->kind) {
	case AST_OWNER:
	case AST_TICKET:
	case AST_JUSTIFICATION:
	case AST_EXPIRES:
	case AST_REVIEWED:
	case AST_CLUSTERS: /* the fleet pass's (fleet.h) */
	case AST_RUNS_IN:
		return true; /* the header, resolved before */
	case AST_ALLOW_SERVICE:
		return resolve_allow_service(r, v, stmt);
	case AST_ALLOW_PODS:
		return resolve_allow_pods(r, v, stmt);
	case AST_ALLOW_FROM_SERVICE:
		return resolve_allow_from_service(r, v, stmt);
	case AST_ALLOW_FROM_CIDR:
		return resolve_allow_from_cidr(r, v, stmt);
	case AST_EGRESS:
		return resolve_egress(r, v, stmt);
	case AST_STMT_KIND_COUNT:
		break;
	}
	abort();
}

/* The first statement that makes the vendor look names up (an allow
 * service or a domain egress), or NULL: DNS is granted in its name. */
static const struct ast_stmt *
dns_reason(const struct vendor_ctx *v)
{
	for (const struct ast_stmt *stmt = v->ast->stmts; stmt; stmt = stmt->next)
		if (stmt->kind == AST_ALLOW_SERVICE || egress_to_domain(stmt))
			return stmt;
	return NULL;
}

/* ---- the header: name, file name, owner, ticket, justification, expiry,
 * review, runs in ---- */

static bool
count_statements(struct resolver *r, struct vendor_ctx *v)
{
	bool ok = true;
	size_t count = 0;
	for (const struct ast_stmt *stmt = v->ast->stmts; stmt; stmt = stmt->next) {
		if (++count == LIMIT_STATEMENTS + 1) {
			struct diag *d = diag_report(r->diags, DIAG_LIMIT_EXCEEDED, &stmt->loc,
				"vendor \"%s\" has more than %d statements", v->ast->name.text, LIMIT_STATEMENTS);
			diag_hint(d, "split the vendor's access between vendors, or widen a range");
			ok = false;
		}
		const struct ast_stmt *first = v->first[stmt->kind];
		bool once = stmt->kind <= AST_RUNS_IN;
		if (first && once) {
			struct diag *d = diag_report(r->diags, DIAG_REPEATED_STATEMENT, &stmt->loc,
				"\"%s\" may appear only once", ast_stmt_kind_name(stmt->kind));
			diag_note(d, &first->loc, "first given here");
			ok = false;
		}
		if (!first)
			v->first[stmt->kind] = stmt;
	}
	static const struct {
		enum ast_stmt_kind kind;
		const char *hint;
	} required[] = {
		{ AST_EXPIRES, "add `expires YYYY-MM-DD` (or `expires never`)" },
		{ AST_RUNS_IN, "add `runs in NAMESPACE [where LABELS]`" },
	};
	for (size_t i = 0; i < sizeof(required) / sizeof(*required); i++) {
		if (v->first[required[i].kind])
			continue;
		struct diag *d = diag_report(r->diags, DIAG_MISSING_STATEMENT, &v->ast->loc,
			"vendor \"%s\" has no \"%s\" statement", v->ast->name.text,
			ast_stmt_kind_name(required[i].kind));
		diag_hint(d, "%s", required[i].hint);
		ok = false;
	}
	return ok;
}

/* A skeleton's owner, ticket or justification left as init wrote it: the
 * auditor's "who, on whose approval, and why" would have no answer. */
static void
warn_placeholder(struct resolver *r, const struct ast_stmt *stmt, const char *placeholder,
	const char *meaning)
{
	if (stmt && strcmp(stmt->arg.text, placeholder) == 0)
		diag_hint(diag_report(r->diags, DIAG_PLACEHOLDER, &stmt->arg.loc,
			"\"%s\" is vendorc init's placeholder", placeholder),
			"write %s", meaning);
}

static bool
check_vendor_name(struct resolver *r, const struct vendor_ctx *v)
{
	const struct ast_word *name = &v->ast->name;
	if (!check_name(r, name, "vendor"))
		return false;
	const char *file = basename_of(v->ast->src->path);
	size_t stem = strlen(file) > strlen(".vendor") ? strlen(file) - strlen(".vendor") : 0;
	if (strlen(name->text) == stem && strncmp(file, name->text, stem) == 0)
		return true;
	struct diag *d = diag_report(r->diags, DIAG_VENDOR_FILE_NAME, &name->loc,
		"vendor \"%s\" is declared in \"%s\"", name->text, file);
	diag_hint(d, "name the file \"%s.vendor\": one vendor per file, named after it", name->text);
	return false;
}

static bool
resolve_expiry(struct resolver *r, struct vendor_ctx *v)
{
	const struct ast_stmt *stmt = v->first[AST_EXPIRES];
	struct ir_vendor *ir = v->ir;
	ir->expires = stmt->arg.text;
	if (stmt->is_never) {
		ir->never_expires = true;
		ir->ends_at = INT64_MAX;
		return true;
	}
	if (strcmp(stmt->arg.text, init_placeholder_expires) == 0) {
		diag_hint(diag_report(r->diags, DIAG_BAD_DATE, &stmt->arg.loc, "the expiry is not set yet: \"%s\" is "
			"vendorc import's placeholder", init_placeholder_expires),
			"write the day the vendor's access ends (its contract's end, 2027-03-31), or never");
		return false;
	}
	if (!when_access_end(stmt->arg.text, &ir->ends_at)) {
		struct diag *d = diag_report(r->diags, DIAG_BAD_DATE, &stmt->arg.loc,
			"invalid expiry \"%s\"", stmt->arg.text);
		diag_hint(d, "write a date (2027-03-31), an RFC 3339 time with Z or an offset "
			"(2027-03-31T18:00:00Z, 2027-03-31T18:00:00+02:00) or never");
		return false;
	}
	ir->expired = r->in->now >= ir->ends_at;
	return true;
}

static void
warn_expiry(struct resolver *r, const struct vendor_ctx *v)
{
	const struct ast_stmt *stmt = v->first[AST_EXPIRES];
	const struct ir_vendor *ir = v->ir;
	int64_t left = when_sub(ir->ends_at, r->in->now);
	struct diag *d;
	if (ir->never_expires) {
		d = diag_report(r->diags, DIAG_EXPIRES_NEVER, &stmt->loc,
			"vendor \"%s\" never expires", ir->name);
		diag_hint(d, "give an end date, so that access cannot outlive the contract");
	} else if (ir->expired) {
		d = diag_report(r->diags, DIAG_EXPIRED, &stmt->arg.loc,
			"vendor \"%s\" expired at %s and gets no access", ir->name,
			when_format(r->arena, ir->ends_at));
		diag_hint(d, "extend the expiry, or delete the file to offboard the vendor");
	} else if (left <= r->in->project->expiry_warning) {
		diag_report(r->diags, DIAG_EXPIRES_SOON, &stmt->arg.loc,
			"vendor \"%s\" expires in %s (at %s)", ir->name,
			when_format_time_left(r->arena, left), when_format(r->arena, ir->ends_at));
	}
}

/* A review older than review-interval (PCI DSS 7.2.4 asks for one every
 * six months), at the date that is stale, as the expiry warnings are. */
static void
warn_review(struct resolver *r, const struct vendor_ctx *v)
{
	const struct ir_vendor *ir = v->ir;
	if (!ir_vendor_review_overdue(ir, r->in->now))
		return;
	diag_hint(diag_report(r->diags, DIAG_REVIEW_OVERDUE, &v->first[AST_REVIEWED]->arg.loc,
		"vendor \"%s\" was last reviewed on %s, %s ago; the project asks for a review every %s",
		ir->name, ir->reviewed, when_format_duration(r->arena, when_sub(r->in->now, ir->reviewed_at)),
		when_format_interval(r->arena, r->in->project->review_interval)),
		"review the access with its owner (is it still needed, and only as declared?), "
		"then set `reviewed` to the day of the review");
}

/* The last review (PCI DSS 7.2.4): a DATE is the start of that day, so a
 * review dated today is never in the future. One that is, is a typo or
 * the next review's date, and would keep the review current too long. */
static bool
resolve_review(struct resolver *r, struct vendor_ctx *v)
{
	const struct ast_stmt *stmt = v->first[AST_REVIEWED];
	struct ir_vendor *ir = v->ir;
	bool is_date;
	if (!stmt)
		return true;
	if (!when_parse_instant(stmt->arg.text, &ir->reviewed_at, &is_date)) {
		struct diag *d = diag_report(r->diags, DIAG_BAD_DATE, &stmt->arg.loc,
			"invalid review date \"%s\"", stmt->arg.text);
		diag_hint(d, "%s", strcmp(stmt->arg.text, "never") == 0
			? "a vendor whose access was never reviewed has no `reviewed` statement"
			: "write the day of the review (2026-06-01) or an RFC 3339 time with Z or an offset "
			  "(2026-06-01T14:00:00Z, 2026-06-01T16:00:00+02:00)");
		return false;
	}
	if (ir->reviewed_at > r->in->now) {
		struct diag *d = diag_report(r->diags, DIAG_BAD_DATE, &stmt->arg.loc,
			"review date \"%s\" is in the future (now is %s)", stmt->arg.text,
			when_format(r->arena, r->in->now));
		diag_hint(d, "write the date of the last review that took place: the next one falls due "
			"review-interval (%s) after it",
			when_format_interval(r->arena, r->in->project->review_interval));
		return false;
	}
	ir->reviewed = stmt->arg.text;
	ir->review_due = when_add(ir->reviewed_at, r->in->project->review_interval);
	return true;
}

static bool
resolve_runs_in(struct resolver *r, struct vendor_ctx *v)
{
	const struct ast_stmt *stmt = v->first[AST_RUNS_IN];
	struct selector pods = { 0 };
	bool ok = check_name(r, &stmt->arg, "namespace");
	ok &= resolve_labels(r, &stmt->labels, &pods);
	v->ir->pods = (struct ir_pods){ stmt->arg.text, pods };
	v->ir->loc = stmt->loc;
	return ok;
}

/* A header statement's string as written, NULL when the file has none. */
static const char *
header_text(const struct vendor_ctx *v, enum ast_stmt_kind kind)
{
	return v->first[kind] ? v->first[kind]->arg.text : NULL;
}

static bool
resolve_header(struct resolver *r, struct vendor_ctx *v)
{
	struct ir_vendor *ir = arena_alloc(r->arena, sizeof(*ir));
	v->ir = ir;
	ir->name = v->ast->name.text;
	ir->source = project_relative(r->arena, r->in->project, v->ast->src->path);
	bool ok = check_vendor_name(r, v);
	v->complete = count_statements(r, v);
	if (!v->complete)
		return false;
	ir->owner = header_text(v, AST_OWNER);
	ir->ticket = header_text(v, AST_TICKET);
	ir->justification = header_text(v, AST_JUSTIFICATION);
	warn_placeholder(r, v->first[AST_OWNER], init_placeholder_owner, "who answers for this access");
	warn_placeholder(r, v->first[AST_TICKET], init_placeholder_ticket, "where the access was approved");
	warn_placeholder(r, v->first[AST_JUSTIFICATION], init_placeholder_justification,
		"the business need for this access");
	ok &= resolve_expiry(r, v);
	ok &= resolve_review(r, v);
	ok &= resolve_runs_in(r, v);
	return ok;
}

/* ---- checks across vendors and against the catalog ---- */

static int
compare_ctx_name(const void *a, const void *b)
{
	const struct vendor_ctx *x = *(const struct vendor_ctx *const *)a;
	const struct vendor_ctx *y = *(const struct vendor_ctx *const *)b;
	int by_name = strcmp(x->ast->name.text, y->ast->name.text);
	return by_name ? by_name : (x > y) - (x < y);
}

/* Sorted by name (then file order), a repeated name follows its first. */
static void
check_duplicates(struct resolver *r)
{
	struct vec by_name = { 0 };
	for (size_t i = 0; i < r->vendor_count; i++)
		vec_push(r->arena, &by_name, &r->vendors[i]);
	vec_sort(&by_name, compare_ctx_name);
	const struct vendor_ctx *first = NULL;
	for (size_t i = 0; i < by_name.len; i++) {
		const struct vendor_ctx *v = vec_at(&by_name, i);
		if (!first || strcmp(first->ast->name.text, v->ast->name.text) != 0) {
			first = v;
			continue;
		}
		struct diag *d = diag_report(r->diags, DIAG_VENDOR_DUPLICATE, &v->ast->name.loc,
			"vendor \"%s\" is declared twice", v->ast->name.text);
		diag_note(d, &first->ast->name.loc, "first declared here");
	}
}

/* docs/semantics.md 5: two vendors in one namespace must select disjoint pods, or one
 * vendor's policies would grant the other's pods. */
static void
check_overlaps(struct resolver *r)
{
	const struct vec *all = &r->by_namespace;
	for (size_t i = 0; i < all->len; i++) {
		const struct vendor_ctx *b = vec_at(all, i);
		for (size_t j = i; j-- > 0;) {
			const struct vendor_ctx *a = vec_at(all, j);
			if (strcmp(a->ir->pods.ns, b->ir->pods.ns) != 0)
				break;
			if (!selector_can_overlap(r->arena, &a->ir->pods.pods, &b->ir->pods.pods))
				continue;
			struct diag *d = diag_report(r->diags, DIAG_VENDOR_OVERLAP, &b->first[AST_RUNS_IN]->loc,
				"the pods of vendors \"%s\" and \"%s\" in namespace \"%s\" can overlap",
				b->ir->name, a->ir->name, b->ir->pods.ns);
			diag_hint(d, "give each vendor a `where` clause that tells its pods apart");
			diag_note(d, &a->first[AST_RUNS_IN]->loc, "vendor \"%s\" runs here", a->ir->name);
		}
	}
}

/* Whether the flow's peer holds every address or pod the rule's peer does. */
static bool
flow_holds_peer(const struct ir_flow *flow, const struct netpol *np, const struct netpol_peer *peer)
{
	if (peer->has_cidr) {
		for (size_t i = 0; flow->kind != IR_PEER_PODS && i < flow->cidrs.len; i++)
			if (net_cidr_contains(vec_at(&flow->cidrs, i), &peer->cidr))
				return true;
		return false;
	}
	const char *ns = netpol_peer_namespace(np, peer);
	const struct selector everything = { 0 };
	return flow->kind == IR_PEER_PODS && ns && strcmp(ns, flow->pods.ns) == 0
		&& selector_subsumes(&flow->pods.pods, peer->has_pod_selector ? &peer->pod_selector
			: &everything);
}

static bool
flow_holds_port(const struct ir_flow *flow, const struct netpol_port *port)
{
	if (port->has_proto_only)
		return false;
	int low = port->port, high = port->end_port ? port->end_port : port->port;
	for (size_t i = 0; i < flow->ports.len; i++) {
		const struct ir_port *own = vec_at(&flow->ports, i);
		if (own->proto != port->proto)
			continue;
		if (port->port_name ? own->name && strcmp(own->name, port->port_name) == 0
			: !own->name && own->port <= low && high <= (own->end ? own->end : own->port))
			return true;
	}
	return false;
}

/* Whether one declared flow of the direction holds the peer on the port;
 * a NULL peer or port is every one, which no flow holds. */
static bool
declared(const struct ir_vendor *ir, enum ir_direction dir, const struct netpol *np,
	const struct netpol_peer *peer, const struct netpol_port *port)
{
	for (size_t i = 0; peer && port && i < ir->flows.len; i++) {
		const struct ir_flow *flow = vec_at(&ir->flows, i);
		if (flow->dir == dir && flow_holds_peer(flow, np, peer) && flow_holds_port(flow, port))
			return true;
	}
	return false;
}

/* The first peer and port a rule admits that the vendor does not declare,
 * as text; NULL when the rule gives the vendor nothing more. */
static const char *
rule_excess(struct arena *arena, const struct ir_vendor *ir, enum ir_direction dir,
	const struct netpol *np, const struct netpol_rule *rule)
{
	size_t peers = rule->peers.len ? rule->peers.len : 1, ports = rule->ports.len ? rule->ports.len : 1;
	for (size_t i = 0; i < peers; i++)
		for (size_t j = 0; j < ports; j++) {
			const struct netpol_peer *peer = rule->peers.len ? vec_at(&rule->peers, i) : NULL;
			const struct netpol_port *port = rule->ports.len ? vec_at(&rule->ports, j) : NULL;
			if (declared(ir, dir, np, peer, port))
				continue;
			return arena_printf(arena, "%s %s on %s", dir == IR_EGRESS ? "egress to" : "ingress from",
				peer ? netpol_peer_text(arena, peer, np->ns) : "every peer",
				port ? netpol_port_text(arena, port) : "every port");
		}
	return NULL;
}

static const char *
policy_excess(struct arena *arena, const struct ir_vendor *ir, const struct netpol *np)
{
	const char *excess = NULL;
	for (size_t i = 0; np->ingress && !excess && i < np->ingress_rules.len; i++)
		excess = rule_excess(arena, ir, IR_INGRESS, np, vec_at(&np->ingress_rules, i));
	for (size_t i = 0; np->egress && !excess && i < np->egress_rules.len; i++)
		excess = rule_excess(arena, ir, IR_EGRESS, np, vec_at(&np->egress_rules, i));
	return excess;
}

/* docs/semantics.md 5: a catalog policy that may select a vendor's pods
 * and admits a peer or port the vendor file does not declare would give
 * them more than the file. One that admits only declared flows (a
 * platform's allow-dns in every namespace) adds nothing and passes; for an
 * expired vendor, which declares nothing, any allow rule is too much. */
static void
check_catalog_policies(struct resolver *r)
{
	const struct vec *netpols = &r->in->catalog->netpols;
	for (size_t i = 0; i < r->by_namespace.len; i++) {
		const struct vendor_ctx *v = vec_at(&r->by_namespace, i);
		const char *ns = v->ir->pods.ns;
		size_t first, end;
		netpol_range(netpols, ns, &first, &end);
		for (size_t j = first; j < end; j++) {
			const struct netpol *np = vec_at(netpols, j);
			if (!selector_can_overlap(r->arena, &np->pod_selector, &v->ir->pods.pods))
				continue;
			const char *excess = policy_excess(r->arena, v->ir, np);
			if (!excess)
				continue;
			struct diag *d = diag_report(r->diags, DIAG_CATALOG_POLICY_WIDENS, &np->loc,
				"NetworkPolicy \"%s/%s\" would give vendor \"%s\" more than its file declares: %s",
				np->ns, np->name, v->ir->name, excess);
			diag_hint(d, "vendorc owns the policies of vendor pods: remove this policy, "
				"or narrow its podSelector to pods that are not the vendor's");
			diag_note(d, &v->first[AST_RUNS_IN]->loc, v->ir->expired
				? "vendor \"%s\" runs here, and has expired: it declares no access"
				: "vendor \"%s\" runs here", v->ir->name);
		}
	}
}

static bool
listed_in_isolate(const struct resolver *r, const char *ns)
{
	return vec_find(&r->isolated, ns, vec_string_order) != NULL;
}

static void
warn_not_isolated(struct resolver *r, const struct vendor_ctx *v)
{
	if (listed_in_isolate(r, v->ir->pods.ns))
		return;
	struct diag *d = diag_report(r->diags, DIAG_NAMESPACE_NOT_ISOLATED,
		&v->first[AST_RUNS_IN]->arg.loc,
		"namespace \"%s\" is not listed in isolate", v->ir->pods.ns);
	diag_hint(d, "offboarding its last vendor would leave it open; add it to `isolate` in %s",
		r->in->project->src->path);
}

/* An isolate entry no vendor runs in must be a namespace the catalog
 * knows, or a mistyped one silently keeps the real namespace open. */
static void
warn_unknown_isolate(struct resolver *r)
{
	const struct vec *isolate = &r->in->project->isolate;
	for (size_t i = 0; i < isolate->len; i++) {
		const struct project_name *entry = vec_at(isolate, i);
		if (!vendor_in_namespace(r, entry->name))
			warn_unknown_namespace(r, &entry->loc, entry->name);
	}
}

/* ---- putting it together ---- */

/* The indexes the checks across vendors search: vendors by namespace,
 * the isolate list, and every default-denied namespace. */
static void
build_indexes(struct resolver *r)
{
	for (size_t i = 0; i < r->vendor_count; i++)
		if (r->vendors[i].header_ok)
			vec_push(r->arena, &r->by_namespace, &r->vendors[i]);
	vec_sort(&r->by_namespace, compare_ctx);
	const struct vec *names = &r->in->project->isolate;
	for (size_t i = 0; i < names->len; i++)
		vec_push(r->arena, &r->isolated, (void *)((struct project_name *)vec_at(names, i))->name);
	vec_sort_unique(&r->isolated, vec_compare_strings);
	for (size_t i = 0; i < r->vendor_count; i++)
		if (r->vendors[i].header_ok)
			vec_push(r->arena, &r->denied, (void *)r->vendors[i].ir->pods.ns);
	const struct vec *isolate = &r->in->project->isolate;
	for (size_t i = 0; i < isolate->len; i++)
		vec_push(r->arena, &r->denied, (void *)((struct project_name *)vec_at(isolate, i))->name);
	vec_sort_unique(&r->denied, vec_compare_strings);
	catalog_known_namespaces(r->arena, r->in->catalog, &r->known_namespaces);
	/* A dump of the cluster's Namespaces always has kube-system; a team's
	 * own manifests with their Namespace objects seldom do. */
	const struct vec *objects = &r->in->catalog->namespaces;
	for (size_t i = 0; i < objects->len; i++)
		r->namespaces_dumped |= strcmp(((const struct catalog_namespace *)vec_at(objects, i))->name,
			"kube-system") == 0;
}

static int
compare_ports(const void *a, const void *b)
{
	return ir_port_compare(*(struct ir_port *const *)a, *(struct ir_port *const *)b);
}

/* Ports sorted and unique, and for pod peers the isolated pods that need a
 * grant on their side (docs/semantics.md 3.4). */
static void
finish_flows(struct resolver *r, struct ir_vendor *ir)
{
	for (size_t i = 0; i < ir->flows.len; i++) {
		struct ir_flow *flow = vec_at(&ir->flows, i);
		vec_sort_unique(&flow->ports, compare_ports);
		if (flow->kind != IR_PEER_PODS)
			continue;
		enum isolation_dir peer_dir = flow->dir == IR_EGRESS ? ISOLATION_INGRESS : ISOLATION_EGRESS;
		isolation_cover(r->arena, r->iso, flow->pods.ns, &flow->pods.pods, peer_dir,
			&flow->peer_isolated);
	}
}

static bool
resolve_body(struct resolver *r, struct vendor_ctx *v)
{
	bool ok = true;
	for (const struct ast_stmt *stmt = v->ast->stmts; stmt; stmt = stmt->next)
		ok &= resolve_statement(r, v, stmt);
	const struct ast_stmt *dns_for = dns_reason(v);
	if (ok && dns_for)
		ok = add_dns(r, v, dns_for);
	finish_flows(r, v->ir);
	if (v->ir->expired)
		v->ir->flows = (struct vec){ 0 };
	return ok;
}

static int
compare_vendors(const void *a, const void *b)
{
	return strcmp((*(struct ir_vendor *const *)a)->name, (*(struct ir_vendor *const *)b)->name);
}

static void
resolve_all_headers(struct resolver *r)
{
	r->vendor_count = r->in->vendors->len;
	r->vendors = arena_array(r->arena, r->vendor_count, sizeof(*r->vendors));
	for (size_t i = 0; i < r->vendor_count; i++) {
		r->vendors[i].ast = vec_at(r->in->vendors, i);
		r->vendors[i].header_ok = resolve_header(r, &r->vendors[i]);
	}
	check_duplicates(r);
}

static int
compare_ends(const void *a, const void *b)
{
	const struct ir_vendor *x = *(struct ir_vendor *const *)a, *y = *(struct ir_vendor *const *)b;
	if (x->ends_at != y->ends_at)
		return x->ends_at < y->ends_at ? -1 : 1;
	return strcmp(x->name, y->name);
}

bool
resolve_headers(struct arena *arena, struct diag_set *diags, const struct resolve_input *in,
	struct vec *vendors)
{
	struct resolver r = { .arena = arena, .diags = diags, .in = in };
	resolve_all_headers(&r);
	for (size_t i = 0; i < r.vendor_count; i++)
		if (r.vendors[i].header_ok)
			vec_push(arena, vendors, r.vendors[i].ir);
	vec_sort(vendors, compare_ends);
	return !diag_has_errors(diags);
}

/* The vendors' bodies are resolved on every core: a job reads the shared
 * indexes and writes only its own vendor's context, allocating in its
 * thread's arena and reporting into a diagnostic set of its own, which is
 * gathered in vendor order. */
struct bodies {
	const struct resolver *r;
	struct diag_set **diags; /* by vendor */
};

static void
resolve_body_job(void *context, size_t index, struct arena *arena, struct arena *scratch)
{
	const struct bodies *b = context;
	struct resolver local = *b->r;
	local.arena = arena;
	local.diags = b->diags[index] = diag_set_create(arena);
	struct vendor_ctx *v = &b->r->vendors[index];
	if (v->complete)
		resolve_body(&local, v);
}

static void
resolve_bodies(struct resolver *r)
{
	struct bodies b = { r, arena_array(r->arena, r->vendor_count, sizeof(*b.diags)) };
	parallel_run(r->arena, r->vendor_count, resolve_body_job, &b);
	for (size_t i = 0; i < r->vendor_count; i++)
		diag_set_absorb(r->diags, b.diags[i]);
}

struct ir *
resolve(struct arena *arena, struct diag_set *diags, const struct resolve_input *in)
{
	struct resolver r = { .arena = arena, .diags = diags, .in = in };
	resolve_all_headers(&r);
	build_indexes(&r);
	r.iso = isolation_build(arena, &in->catalog->netpols, &r.denied);
	warn_unknown_isolate(&r);
	struct ir *ir = arena_alloc(arena, sizeof(*ir));
	ir->cluster_domain = in->project->cluster_domain;
	resolve_bodies(&r);
	for (size_t i = 0; i < r.vendor_count; i++) {
		struct vendor_ctx *v = &r.vendors[i];
		if (!v->header_ok)
			continue;
		warn_expiry(&r, v);
		warn_review(&r, v);
		warn_unknown_namespace(&r, &v->first[AST_RUNS_IN]->arg.loc, v->ir->pods.ns);
		warn_not_isolated(&r, v);
		vec_push(arena, &ir->vendors, v->ir);
	}
	report_reached(&r);
	check_overlaps(&r);
	check_catalog_policies(&r);
	vec_sort(&ir->vendors, compare_vendors);
	ir->denied_namespaces = r.denied;
	return diag_has_errors(diags) ? NULL : ir;
}

static int
compare_domains(const void *a, const void *b)
{
	const struct resolve_domain *x = *(const struct resolve_domain *const *)a;
	const struct resolve_domain *y = *(const struct resolve_domain *const *)b;
	int by_name = strcmp(x->domain, y->domain);
	return by_name ? by_name : loc_compare(&x->loc, &y->loc);
}

bool
resolve_names_domain(const struct vec *vendors)
{
	for (size_t i = 0; i < vendors->len; i++) {
		const struct ast_vendor *vendor = vec_at(vendors, i);
		for (const struct ast_stmt *stmt = vendor->stmts; stmt; stmt = stmt->next)
			if (egress_to_domain(stmt))
				return true;
	}
	return false;
}

bool
resolve_domains(struct arena *arena, struct diag_set *diags, const struct vec *vendors,
	struct vec *domains)
{
	bool ok = true;
	for (size_t i = 0; i < vendors->len; i++) {
		const struct ast_vendor *vendor = vec_at(vendors, i);
		for (const struct ast_stmt *stmt = vendor->stmts; stmt; stmt = stmt->next) {
			if (!egress_to_domain(stmt))
				continue;
			const char *why = validate_domain(stmt->arg.text);
			if (why) {
				diag_report(diags, DIAG_BAD_DOMAIN, &stmt->arg.loc, "invalid domain \"%s\": %s",
					stmt->arg.text, why);
				ok = false;
				continue;
			}
			struct resolve_domain *d = arena_alloc(arena, sizeof(*d));
			*d = (struct resolve_domain){ arena_strdup_lower(arena, stmt->arg.text), stmt->arg.loc };
			vec_push(arena, domains, d);
		}
	}
	vec_sort(domains, compare_domains);
	size_t kept = 0;
	for (size_t i = 0; i < domains->len; i++) {
		const struct resolve_domain *d = vec_at(domains, i);
		if (kept == 0 || strcmp(((const struct resolve_domain *)domains->items[kept - 1])->domain, d->domain) != 0)
			domains->items[kept++] = domains->items[i];
	}
	domains->len = kept;
	return ok;
}
