#include "vendorc/catalog.h"

#include "vendorc/diag.h"
#include "vendorc/fswalk.h"
#include "vendorc/limits.h"
#include "vendorc/net.h"
#include "vendorc/parallel.h"
#include "vendorc/project.h"
#include "vendorc/selector.h"
#include "vendorc/validate.h"
#include "vendorc/ynode.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum catalog_kind {
	CATALOG_OTHER,
	CATALOG_SERVICE,
	CATALOG_ENDPOINTS,
	CATALOG_ENDPOINT_SLICE,
	CATALOG_NETWORK_POLICY,
	CATALOG_CLUSTER_NETWORK_POLICY,
	CATALOG_CILIUM_POLICY,
	CATALOG_NAMESPACE,
	CATALOG_WORKLOAD,
};

/* The kinds vendorc reads. The apiVersion is checked too, so that another
 * project's kind of the same name (Calico's NetworkPolicy) is not misread. */
static const struct {
	const char *kind;
	const char *api_version; /* exact, or a group when it ends in '/' */
	enum catalog_kind type;
} catalog_kinds[] = {
	{ "Service", "v1", CATALOG_SERVICE },
	{ "Endpoints", "v1", CATALOG_ENDPOINTS },
	{ "EndpointSlice", "discovery.k8s.io/", CATALOG_ENDPOINT_SLICE },
	{ "NetworkPolicy", "networking.k8s.io/", CATALOG_NETWORK_POLICY },
	{ "ClusterNetworkPolicy", "policy.networking.k8s.io/v1alpha2", CATALOG_CLUSTER_NETWORK_POLICY },
	{ "CiliumNetworkPolicy", "cilium.io/v2", CATALOG_CILIUM_POLICY },
	{ "CiliumClusterwideNetworkPolicy", "cilium.io/v2", CATALOG_CILIUM_POLICY },
	{ "Namespace", "v1", CATALOG_NAMESPACE },
	{ "Pod", "v1", CATALOG_WORKLOAD },
	{ "Deployment", "apps/", CATALOG_WORKLOAD },
	{ "StatefulSet", "apps/", CATALOG_WORKLOAD },
	{ "DaemonSet", "apps/", CATALOG_WORKLOAD },
	{ "ReplicaSet", "apps/", CATALOG_WORKLOAD },
	{ "Job", "batch/", CATALOG_WORKLOAD },
	{ "CronJob", "batch/", CATALOG_WORKLOAD },
};

/* An object by namespace and name; seq is the reading order, so that the
 * first of two objects with one name wins whatever the sort does. */
struct catalog_named {
	const char *ns;
	const char *name;
	size_t seq;
	void *item;
};

struct catalog_object {
	const struct ynode *node;
	enum catalog_kind kind;
};

struct catalog_file;

struct catalog_builder {
	struct arena *arena;
	struct arena *nodes; /* the objects list, dropped once read */
	struct catalog_file *files; /* their YAML trees too (their strings stay in arena) */
	size_t file_count;
	struct diag_set *diags;
	struct catalog *catalog;
	struct vec objects;  /* struct catalog_object *, in reading order (in nodes) */
	struct vec services; /* struct catalog_named * */
	struct vec netpols;  /* struct catalog_named * */
	struct vec clusterpols; /* struct catalog_named *, ns "" (cluster-scoped) */
	struct vec ciliumpols; /* struct catalog_named *, ns "" clusterwide, item a struct vec * of rules */
	bool full;           /* past LIMIT_CATALOG_OBJECTS, reported once */
};

/* Reading one object: what names it in messages, and whether it was fine. */
struct catalog_reader {
	struct arena *arena;
	struct diag_set *diags;
	const char *what;
	bool ok;
};

static void catalog_bad(struct catalog_reader *r, const struct ynode *node,
	const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
catalog_bad(struct catalog_reader *r, const struct ynode *node, const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	const char *message = arena_vprintf(r->arena, fmt, args);
	va_end(args);
	diag_report(r->diags, DIAG_CATALOG_BAD_OBJECT, &node->loc, "bad %s: %s", r->what, message);
	r->ok = false;
}

/* The value under key, when there and not null, if it has the kind wanted. */
static const struct ynode *
catalog_field(struct catalog_reader *r, const struct ynode *map, const char *key,
	enum ynode_kind kind)
{
	static const char *const kind_names[] = {
		[YNODE_SCALAR] = "a string", [YNODE_SEQUENCE] = "a list",
		[YNODE_MAPPING] = "a mapping",
	};
	const struct ynode *value = ynode_get(map, key);
	if (ynode_is_null(value))
		return NULL;
	if (value->kind != kind) {
		catalog_bad(r, value, "\"%s\" must be %s", key, kind_names[kind]);
		return NULL;
	}
	return value;
}

/* The next item of list, which must be a mapping (others are reported);
 * NULL at the end. */
static const struct ynode *
catalog_next_mapping(struct catalog_reader *r, const struct ynode *list, size_t *i)
{
	while (list && *i < list->count) {
		const struct ynode *item = list->items[(*i)++];
		if (item->kind == YNODE_MAPPING)
			return item;
		catalog_bad(r, item, "this list item must be a mapping");
	}
	return NULL;
}

static const char *
catalog_text(struct catalog_reader *r, const struct ynode *map, const char *key, bool required)
{
	const struct ynode *value = ynode_get(map, key);
	if (ynode_is_null(value)) {
		if (required)
			catalog_bad(r, map, "\"%s\" is required", key);
		return NULL;
	}
	if (value->kind != YNODE_SCALAR || !*value->scalar) {
		catalog_bad(r, value, "\"%s\" must be a non-empty string", key);
		return NULL;
	}
	return value->scalar;
}

/* A port's name: the API server writes an unnamed port as name "". */
static const char *
catalog_port_name(struct catalog_reader *r, const struct ynode *port)
{
	const struct ynode *value = ynode_get(port, "name");
	if (value && value->kind == YNODE_SCALAR && !*value->scalar)
		return NULL;
	return catalog_text(r, port, "name", false);
}

static bool
catalog_port(struct catalog_reader *r, const struct ynode *map, const char *key, int *out)
{
	const struct ynode *value = ynode_get(map, key);
	long port;
	if (ynode_is_null(value)) {
		catalog_bad(r, map, "\"%s\" is required", key);
		return false;
	}
	if (!ynode_int(value, 1, 65535, &port)) {
		catalog_bad(r, value, "\"%s\" must be a port number from 1 to 65535", key);
		return false;
	}
	*out = (int)port;
	return true;
}

/* A port name holds a letter, so that "0" or "99999" is not taken for one. */
static bool
is_port_name(const char *text)
{
	return text && strpbrk(text, "abcdefghijklmnopqrstuvwxyz");
}

/* Kubernetes' IntOrString: a port number, or a port name. */
static void
catalog_port_or_name(struct catalog_reader *r, const struct ynode *map, const char *key,
	int *number, const char **name)
{
	const struct ynode *value = ynode_get(map, key);
	long port;
	if (ynode_int(value, 1, 65535, &port))
		*number = (int)port;
	else if (is_port_name(ynode_string(value)))
		*name = value->scalar;
	else
		catalog_bad(r, value, "\"%s\" must be a port number from 1 to 65535 or a port name",
			key);
}

static enum net_proto
catalog_proto(struct catalog_reader *r, const struct ynode *map)
{
	enum net_proto proto = NET_TCP;
	const struct ynode *value = ynode_get(map, "protocol");
	if (!ynode_is_null(value) && !(ynode_string(value) && net_parse_proto(value->scalar, &proto)))
		catalog_bad(r, value, "unknown protocol");
	return proto;
}

/* A map of label keys to values; false (reported) when it is not one. */
static bool
catalog_labels(struct catalog_reader *r, const struct ynode *map, struct label **out,
	size_t *count)
{
	struct label *labels = arena_array(r->arena, map->count, sizeof(*labels));
	bool ok = true;
	for (size_t i = 0; i < map->count; i++) {
		const struct ynode *key = map->items[2 * i], *value = map->items[2 * i + 1];
		labels[i].key = ynode_string(key);
		labels[i].value = ynode_string(value) ? ynode_string(value) : "";
		if (!labels[i].key || value->kind != YNODE_SCALAR) {
			catalog_bad(r, labels[i].key ? value : key, "labels must map strings to strings");
			ok = false;
		}
	}
	*out = labels;
	*count = map->count;
	return ok;
}

static void
catalog_expr_values(struct catalog_reader *r, const struct ynode *expr,
	struct selector_expr *out)
{
	const struct ynode *values = catalog_field(r, expr, "values", YNODE_SEQUENCE);
	bool wants_values = out->op == SELECTOR_IN || out->op == SELECTOR_NOT_IN;
	if (wants_values != (values && values->count > 0)) {
		catalog_bad(r, expr, wants_values ? "operator In and NotIn need values"
			: "operator Exists and DoesNotExist take no values");
		return;
	}
	if (!values)
		return;
	out->values = arena_array(r->arena, values->count, sizeof(*out->values));
	for (size_t i = 0; i < values->count; i++) {
		const struct ynode *value = values->items[i];
		if (value->kind != YNODE_SCALAR)
			catalog_bad(r, value, "a selector value must be a string");
		out->values[out->value_count++] = ynode_string(value) ? value->scalar : "";
	}
}

static void
catalog_expr(struct catalog_reader *r, const struct ynode *node, struct selector_expr *out)
{
	out->key = catalog_text(r, node, "key", true);
	const char *op = catalog_text(r, node, "operator", true);
	if (!op)
		return;
	if (!selector_parse_op(op, &out->op)) {
		catalog_bad(r, ynode_get(node, "operator"), "unknown operator \"%s\"", op);
		return;
	}
	catalog_expr_values(r, node, out);
}

/* An unsatisfiable selector is valid Kubernetes and selects nothing. Once
 * normalized it may have lost the conflicting condition (app=a plus app
 * NotIn [a] keeps app=a), so it becomes "KEY In ()", which matches no pod. */
static void
catalog_select_nothing(struct arena *arena, struct selector *sel, const char *key)
{
	struct selector_expr *never = arena_alloc(arena, sizeof(*never));
	*never = (struct selector_expr){ .key = key, .op = SELECTOR_IN };
	*sel = (struct selector){ .exprs = never, .expr_count = 1 };
}

/* matchLabels and matchExpressions. */
static void
catalog_selector(struct catalog_reader *r, const struct ynode *node, struct selector *out)
{
	*out = (struct selector){ 0 };
	const struct ynode *labels = catalog_field(r, node, "matchLabels", YNODE_MAPPING);
	if (labels)
		catalog_labels(r, labels, &out->labels, &out->label_count);
	const struct ynode *exprs = catalog_field(r, node, "matchExpressions", YNODE_SEQUENCE);
	const struct ynode *expr;
	if (exprs)
		out->exprs = arena_array(r->arena, exprs->count, sizeof(*out->exprs));
	for (size_t i = 0; (expr = catalog_next_mapping(r, exprs, &i));)
		catalog_expr(r, expr, &out->exprs[out->expr_count++]);
	if (!r->ok)
		return;
	const char *key = out->label_count ? out->labels[0].key
		: out->expr_count ? out->exprs[0].key : NULL;
	if (!selector_normalize(r->arena, out))
		catalog_select_nothing(r->arena, out, key);
}

/* Starts reading an object: its name and namespace (default "default");
 * ns NULL for a cluster-scoped kind, which has none. */
static bool
catalog_meta(struct catalog_reader *r, const struct ynode *object, const char *kind,
	const char **ns, const char **name, struct loc *loc)
{
	r->what = kind;
	r->ok = true;
	const struct ynode *meta = catalog_field(r, object, "metadata", YNODE_MAPPING);
	if (!meta) {
		if (r->ok)
			catalog_bad(r, object, "\"metadata\" is required");
		return false;
	}
	*name = catalog_text(r, meta, "name", true);
	if (ns) {
		*ns = catalog_text(r, meta, "namespace", false);
		if (!*ns)
			*ns = "default";
	}
	if (!r->ok)
		return false;
	*loc = ynode_get(meta, "name")->loc;
	r->what = ns ? arena_printf(r->arena, "%s \"%s/%s\"", kind, *ns, *name)
		: arena_printf(r->arena, "%s \"%s\"", kind, *name);
	return true;
}

static void
catalog_add_named(struct catalog_builder *b, struct vec *named, const char *ns,
	const char *name, void *item)
{
	struct catalog_named *entry = arena_alloc(b->arena, sizeof(*entry));
	*entry = (struct catalog_named){ ns, name, named->len, item };
	vec_push(b->arena, named, entry);
}

static int
catalog_named_compare(const void *a, const void *b)
{
	const struct catalog_named *x = *(const struct catalog_named *const *)a;
	const struct catalog_named *y = *(const struct catalog_named *const *)b;
	int order = strcmp(x->ns, y->ns);
	if (!order)
		order = strcmp(x->name, y->name);
	return order ? order : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Sorted by namespace and name; of two with one name the first read stays. */
static void
catalog_finish_named(struct arena *arena, struct vec *named, struct vec *out)
{
	vec_sort(named, catalog_named_compare);
	for (size_t i = 0; i < named->len; i++) {
		const struct catalog_named *entry = vec_at(named, i), *prev = NULL;
		if (i > 0)
			prev = vec_at(named, i - 1);
		if (!prev || strcmp(prev->ns, entry->ns) || strcmp(prev->name, entry->name))
			vec_push(arena, out, entry->item);
	}
}

static void
read_service_port(struct catalog_reader *r, const struct ynode *node, struct service *svc)
{
	struct service_port *port = arena_alloc(r->arena, sizeof(*port));
	port->name = catalog_port_name(r, node);
	if (!catalog_port(r, node, "port", &port->port))
		return;
	port->proto = catalog_proto(r, node);
	if (ynode_is_null(ynode_get(node, "targetPort")))
		port->target_port = port->port;
	else
		catalog_port_or_name(r, node, "targetPort", &port->target_port, &port->target_name);
	vec_push(r->arena, &svc->ports, port);
}

static void
catalog_read_service(struct catalog_builder *b, const struct ynode *object)
{
	struct catalog_reader r = { b->arena, b->diags, NULL, true };
	struct service *svc = arena_alloc(b->arena, sizeof(*svc));
	if (!catalog_meta(&r, object, "Service", &svc->ns, &svc->name, &svc->loc))
		return;
	const struct ynode *spec = catalog_field(&r, object, "spec", YNODE_MAPPING);
	const struct ynode *selector = catalog_field(&r, spec, "selector", YNODE_MAPPING);
	struct label *labels;
	size_t count;
	if (selector && selector->count && catalog_labels(&r, selector, &labels, &count)) {
		svc->has_selector = true;
		svc->selector = selector_from_labels(b->arena, labels, count);
	}
	const char *cluster_ip = spec ? ynode_string(ynode_get(spec, "clusterIP")) : NULL;
	svc->has_cluster_ip = cluster_ip && net_parse_cidr(cluster_ip, &svc->cluster_ip) == NET_CIDR_OK;
	const struct ynode *ports = catalog_field(&r, spec, "ports", YNODE_SEQUENCE), *port;
	size_t i = 0;
	while ((port = catalog_next_mapping(&r, ports, &i)))
		read_service_port(&r, port, svc);
	if (r.ok)
		catalog_add_named(b, &b->services, svc->ns, svc->name, svc);
}

static int
catalog_cidr_compare(const void *a, const void *b)
{
	return net_cidr_compare(*(const struct net_cidr *const *)a,
		*(const struct net_cidr *const *)b);
}

/* Unnamed ports first, then by name, number and protocol. */
static int
catalog_endpoint_port_compare(const void *a, const void *b)
{
	const struct endpoint_port *x = *(const struct endpoint_port *const *)a;
	const struct endpoint_port *y = *(const struct endpoint_port *const *)b;
	if (!x->name != !y->name)
		return x->name ? 1 : -1;
	int order = x->name ? strcmp(x->name, y->name) : 0;
	if (!order)
		order = (x->port > y->port) - (x->port < y->port);
	return order ? order : ((int)x->proto > (int)y->proto) - ((int)x->proto < (int)y->proto);
}

static void
catalog_endpoint_address(struct catalog_reader *r, const struct ynode *node,
	struct endpoint_group *group)
{
	const char *text = ynode_string(node);
	struct net_cidr *cidr = arena_alloc(r->arena, sizeof(*cidr));
	if (!text || strchr(text, '/') || net_parse_cidr(text, cidr) != NET_CIDR_OK) {
		catalog_bad(r, node, "an endpoint address must be an IP address");
		return;
	}
	vec_push(r->arena, &group->addresses, cidr);
}

/* Endpoints require the port number; an EndpointSlice port without one
 * means every port, which no ipBlock rule can use, so it is skipped. */
static void
catalog_endpoint_port(struct catalog_reader *r, const struct ynode *node,
	struct endpoint_group *group, bool port_required)
{
	if (!port_required && ynode_is_null(ynode_get(node, "port")))
		return;
	struct endpoint_port *port = arena_alloc(r->arena, sizeof(*port));
	port->name = catalog_port_name(r, node);
	port->proto = catalog_proto(r, node);
	if (catalog_port(r, node, "port", &port->port))
		vec_push(r->arena, &group->ports, port);
}

/* Keeps a group that has both addresses and ports, sorted and unique. */
static void
catalog_add_group(struct arena *arena, struct service *svc, struct endpoint_group *group)
{
	if (group->addresses.len == 0 || group->ports.len == 0)
		return;
	vec_sort_unique(&group->addresses, catalog_cidr_compare);
	vec_sort_unique(&group->ports, catalog_endpoint_port_compare);
	vec_push(arena, &svc->endpoints, group);
}

static struct service *
catalog_find(const struct catalog *catalog, const char *ns, const char *name)
{
	size_t lo = 0, hi = catalog->services.len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct service *svc = vec_at(&catalog->services, mid);
		int order = strcmp(ns, svc->ns);
		if (!order)
			order = strcmp(name, svc->name);
		if (!order)
			return svc;
		if (order < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct service *
catalog_service(const struct catalog *catalog, const char *ns, const char *name)
{
	return catalog_find(catalog, ns, name);
}

const struct service *
catalog_service_at(const struct catalog *catalog, const struct net_cidr *addr)
{
	for (size_t i = 0; i < catalog->services.len; i++) {
		const struct service *svc = vec_at(&catalog->services, i);
		if (svc->has_cluster_ip && net_cidr_compare(&svc->cluster_ip, addr) == 0)
			return svc;
	}
	return NULL;
}

static void
catalog_read_subset(struct catalog_reader *r, const struct ynode *subset, struct service *svc)
{
	/* Not-ready addresses count too, as an EndpointSlice's endpoints count
	 * whatever their condition: a pod that is not ready now will be. */
	static const char *const kinds[] = { "addresses", "notReadyAddresses" };
	struct endpoint_group *group = arena_alloc(r->arena, sizeof(*group));
	for (size_t k = 0; k < 2; k++) {
		const struct ynode *addresses = catalog_field(r, subset, kinds[k], YNODE_SEQUENCE);
		const struct ynode *address;
		size_t i = 0;
		while ((address = catalog_next_mapping(r, addresses, &i)))
			if (catalog_text(r, address, "ip", true))
				catalog_endpoint_address(r, ynode_get(address, "ip"), group);
	}
	const struct ynode *ports = catalog_field(r, subset, "ports", YNODE_SEQUENCE), *port;
	for (size_t i = 0; (port = catalog_next_mapping(r, ports, &i));)
		catalog_endpoint_port(r, port, group, true);
	catalog_add_group(r->arena, svc, group);
}

static void
catalog_read_endpoints(struct catalog_builder *b, const struct ynode *object)
{
	struct catalog_reader r = { b->arena, b->diags, NULL, true };
	const char *ns, *name;
	struct loc loc;
	if (!catalog_meta(&r, object, "Endpoints", &ns, &name, &loc))
		return;
	struct service *svc = catalog_find(b->catalog, ns, name);
	const struct ynode *subsets = catalog_field(&r, object, "subsets", YNODE_SEQUENCE);
	const struct ynode *subset;
	size_t i = 0;
	while (svc && (subset = catalog_next_mapping(&r, subsets, &i)))
		catalog_read_subset(&r, subset, svc);
}

/* The Service a slice belongs to, or NULL when it has none in the catalog
 * or holds FQDN endpoints (which no ipBlock can name). */
static struct service *
catalog_slice_service(struct catalog_builder *b, struct catalog_reader *r,
	const struct ynode *object, const char *ns)
{
	const struct ynode *labels = ynode_get(ynode_get(object, "metadata"), "labels");
	const char *service = ynode_string(ynode_get(labels, "kubernetes.io/service-name"));
	const char *type = catalog_text(r, object, "addressType", true);
	if (!service || !type || (strcmp(type, "IPv4") != 0 && strcmp(type, "IPv6") != 0))
		return NULL;
	return catalog_find(b->catalog, ns, service);
}

static void
catalog_read_endpoint_slice(struct catalog_builder *b, const struct ynode *object)
{
	struct catalog_reader r = { b->arena, b->diags, NULL, true };
	const char *ns, *name;
	struct loc loc;
	if (!catalog_meta(&r, object, "EndpointSlice", &ns, &name, &loc))
		return;
	struct service *svc = catalog_slice_service(b, &r, object, ns);
	if (!svc)
		return;
	struct endpoint_group *group = arena_alloc(r.arena, sizeof(*group));
	const struct ynode *endpoints = catalog_field(&r, object, "endpoints", YNODE_SEQUENCE);
	const struct ynode *endpoint;
	size_t i = 0;
	while ((endpoint = catalog_next_mapping(&r, endpoints, &i))) {
		const struct ynode *addresses = catalog_field(&r, endpoint, "addresses",
			YNODE_SEQUENCE);
		for (size_t j = 0; addresses && j < addresses->count; j++)
			catalog_endpoint_address(&r, addresses->items[j], group);
	}
	const struct ynode *ports = catalog_field(&r, object, "ports", YNODE_SEQUENCE), *port;
	for (i = 0; (port = catalog_next_mapping(&r, ports, &i));)
		catalog_endpoint_port(&r, port, group, false);
	catalog_add_group(r.arena, svc, group);
}


/* The API server accepts host bits in an ipBlock and means the network,
 * so the catalog does too (net_parse_cidr clears them). */
static bool
catalog_cidr(struct catalog_reader *r, const struct ynode *node, struct net_cidr *out)
{
	const char *text = ynode_string(node);
	if (!text) {
		catalog_bad(r, node, "a CIDR must be a string");
		return false;
	}
	enum net_cidr_error error = net_parse_cidr(text, out);
	if (error == NET_CIDR_OK || error == NET_CIDR_HOST_BITS)
		return true;
	catalog_bad(r, node, "\"%s\" is not a CIDR", text);
	return false;
}

static void
catalog_ip_block(struct catalog_reader *r, const struct ynode *block, struct netpol_peer *peer)
{
	if (!catalog_text(r, block, "cidr", true))
		return;
	peer->has_cidr = catalog_cidr(r, ynode_get(block, "cidr"), &peer->cidr);
	const struct ynode *except = catalog_field(r, block, "except", YNODE_SEQUENCE);
	for (size_t i = 0; except && i < except->count; i++) {
		struct net_cidr *cidr = arena_alloc(r->arena, sizeof(*cidr));
		if (catalog_cidr(r, except->items[i], cidr))
			vec_push(r->arena, &peer->except, cidr);
	}
}

static void
catalog_peer(struct catalog_reader *r, const struct ynode *node, struct vec *out)
{
	struct netpol_peer *peer = arena_alloc(r->arena, sizeof(*peer));
	const struct ynode *pods = catalog_field(r, node, "podSelector", YNODE_MAPPING);
	const struct ynode *namespaces = catalog_field(r, node, "namespaceSelector", YNODE_MAPPING);
	const struct ynode *block = catalog_field(r, node, "ipBlock", YNODE_MAPPING);
	if (!r->ok)
		return;
	if (!block == !(pods || namespaces)) {
		catalog_bad(r, node, block ? "a peer with an ipBlock may not have a selector"
			: "a peer needs a podSelector, a namespaceSelector or an ipBlock");
		return;
	}
	peer->loc = node->loc;
	peer->has_pod_selector = pods != NULL;
	peer->has_namespace_selector = namespaces != NULL;
	if (pods)
		catalog_selector(r, pods, &peer->pod_selector);
	if (namespaces)
		catalog_selector(r, namespaces, &peer->namespace_selector);
	if (block)
		catalog_ip_block(r, block, peer);
	vec_push(r->arena, out, peer);
}

/* endPort, when given, closes a range that a port number opens. */
static void
catalog_end_port(struct catalog_reader *r, const struct ynode *node, int port, int *end)
{
	const struct ynode *value = ynode_get(node, "endPort");
	if (!ynode_is_null(value) && catalog_port(r, node, "endPort", end) && (port == 0 || *end < port))
		catalog_bad(r, value, "\"endPort\" needs a port number not above it");
}

static void
catalog_netpol_port(struct catalog_reader *r, const struct ynode *node, struct vec *out)
{
	struct netpol_port *port = arena_alloc(r->arena, sizeof(*port));
	port->proto = catalog_proto(r, node);
	port->has_proto_only = ynode_is_null(ynode_get(node, "port"));
	if (!port->has_proto_only)
		catalog_port_or_name(r, node, "port", &port->port, &port->port_name);
	catalog_end_port(r, node, port->port, &port->end_port);
	vec_push(r->arena, out, port);
}

/* ingress[].from[] or egress[].to[], and each rule's ports. */
static void
catalog_rules(struct catalog_reader *r, const struct ynode *spec, const char *key,
	const char *peers_key, struct vec *out)
{
	const struct ynode *rules = catalog_field(r, spec, key, YNODE_SEQUENCE);
	for (size_t i = 0; rules && i < rules->count; i++) {
		const struct ynode *item = rules->items[i];
		if (!ynode_is_null(item) && item->kind != YNODE_MAPPING) {
			catalog_bad(r, item, "a rule must be a mapping");
			continue;
		}
		struct netpol_rule *rule = arena_alloc(r->arena, sizeof(*rule));
		rule->loc = item->loc;
		const struct ynode *peers = catalog_field(r, item, peers_key, YNODE_SEQUENCE);
		const struct ynode *ports = catalog_field(r, item, "ports", YNODE_SEQUENCE), *entry;
		for (size_t j = 0; (entry = catalog_next_mapping(r, peers, &j));)
			catalog_peer(r, entry, &rule->peers);
		for (size_t j = 0; (entry = catalog_next_mapping(r, ports, &j));)
			catalog_netpol_port(r, entry, &rule->ports);
		vec_push(r->arena, out, rule);
	}
}

/* Without policyTypes Kubernetes assumes Ingress, and Egress as well when
 * the policy has egress rules. */
static void
catalog_policy_types(struct catalog_reader *r, const struct ynode *spec, struct netpol *np)
{
	const struct ynode *types = catalog_field(r, spec, "policyTypes", YNODE_SEQUENCE);
	if (!types || types->count == 0) {
		np->ingress = true;
		np->egress = np->egress_rules.len > 0;
		return;
	}
	for (size_t i = 0; i < types->count; i++) {
		const char *type = ynode_string(types->items[i]);
		if (type && strcmp(type, "Ingress") == 0)
			np->ingress = true;
		else if (type && strcmp(type, "Egress") == 0)
			np->egress = true;
		else
			catalog_bad(r, types->items[i], "a policy type is \"Ingress\" or \"Egress\"");
	}
}

struct netpol *
catalog_read_netpol(struct arena *arena, struct diag_set *diags, const struct ynode *object)
{
	struct catalog_reader r = { arena, diags, NULL, true };
	struct netpol *np = arena_alloc(arena, sizeof(*np));
	if (!catalog_meta(&r, object, "NetworkPolicy", &np->ns, &np->name, &np->loc))
		return NULL;
	const struct ynode *spec = catalog_field(&r, object, "spec", YNODE_MAPPING);
	const struct ynode *pods = catalog_field(&r, spec, "podSelector", YNODE_MAPPING);
	if (pods)
		catalog_selector(&r, pods, &np->pod_selector);
	catalog_rules(&r, spec, "ingress", "from", &np->ingress_rules);
	catalog_rules(&r, spec, "egress", "to", &np->egress_rules);
	catalog_policy_types(&r, spec, np);
	return r.ok ? np : NULL;
}

/* ---- ClusterNetworkPolicy ---- */

/* The list under key with min to max items (an absent one is fine unless
 * required), as the CRD's MinItems and MaxItems say. */
static const struct ynode *
catalog_list(struct catalog_reader *r, const struct ynode *map, const char *key, size_t min,
	size_t max, bool required)
{
	const struct ynode *list = catalog_field(r, map, key, YNODE_SEQUENCE);
	if (!list && required && r->ok)
		catalog_bad(r, map, "\"%s\" is required", key);
	if (list && (list->count < min || list->count > max)) {
		catalog_bad(r, list, "\"%s\" needs %zu to %zu items", key, min, max);
		return NULL;
	}
	return list;
}

/* The API's one-of structs (MinProperties=MaxProperties=1): the index in
 * keys of the one field node has, of which the first allowed are allowed
 * here; -1 (reported) otherwise. */
static int
catalog_one_of(struct catalog_reader *r, const struct ynode *node, const char *what,
	const char *const *keys, size_t allowed, size_t known)
{
	const char *names = arena_printf(r->arena, "\"%s\"", keys[0]);
	for (size_t i = 1; i < allowed; i++)
		names = arena_printf(r->arena, "%s%s\"%s\"", names, i + 1 < allowed ? ", " : " or ",
			keys[i]);
	const char *key = node->count == 1 ? ynode_string(node->items[0]) : NULL;
	for (size_t i = 0; key && i < known; i++) {
		if (strcmp(key, keys[i]) != 0)
			continue;
		if (i < allowed && !ynode_is_null(node->items[1]))
			return (int)i;
		break;
	}
	if (key && node->count == 1 && !ynode_is_null(node->items[1]))
		catalog_bad(r, node->items[0], "%s may not have \"%s\", only one of %s", what, key, names);
	else
		catalog_bad(r, node, "%s needs exactly one of %s", what, names);
	return -1;
}

/* subject.pods and a pods peer: both selectors are required. */
static void
catalog_namespaced_pods(struct catalog_reader *r, const struct ynode *node,
	struct selector *namespaces, struct selector *pods)
{
	const struct ynode *ns_sel = catalog_field(r, node, "namespaceSelector", YNODE_MAPPING);
	const struct ynode *pod_sel = catalog_field(r, node, "podSelector", YNODE_MAPPING);
	if (!r->ok)
		return;
	if (!ns_sel || !pod_sel) {
		catalog_bad(r, node, "\"%s\" is required", ns_sel ? "podSelector" : "namespaceSelector");
		return;
	}
	catalog_selector(r, ns_sel, namespaces);
	catalog_selector(r, pod_sel, pods);
}

static void
catalog_cnp_networks(struct catalog_reader *r, const struct ynode *peer_node,
	struct clusterpol_peer *peer)
{
	const struct ynode *list = catalog_list(r, peer_node, "networks", 1, 25, true);
	for (size_t i = 0; list && i < list->count; i++) {
		struct net_cidr *cidr = arena_alloc(r->arena, sizeof(*cidr));
		if (catalog_cidr(r, list->items[i], cidr))
			vec_push(r->arena, &peer->networks, cidr);
	}
}

static void
catalog_cnp_domains(struct catalog_reader *r, const struct ynode *peer_node,
	struct clusterpol_peer *peer)
{
	const struct ynode *list = catalog_list(r, peer_node, "domainNames", 1, 25, true);
	for (size_t i = 0; list && i < list->count; i++) {
		const char *name = ynode_string(list->items[i]);
		if (name && *name)
			vec_push(r->arena, &peer->domains, arena_strdup_lower(r->arena, name));
		else
			catalog_bad(r, list->items[i], "a domain name must be a non-empty string");
	}
}

/* In the order of enum clusterpol_peer_kind: an ingress peer may have the
 * first two, an egress peer any. */
static const char *const cnp_peer_keys[] = { "namespaces", "pods", "networks", "domainNames", "nodes" };

static void
catalog_cnp_peer(struct catalog_reader *r, const struct ynode *node, bool egress, struct vec *out)
{
	size_t known = sizeof(cnp_peer_keys) / sizeof(cnp_peer_keys[0]);
	int kind = catalog_one_of(r, node, egress ? "an egress peer" : "an ingress peer", cnp_peer_keys,
		egress ? known : 2, known);
	if (kind < 0)
		return;
	struct clusterpol_peer *peer = arena_alloc(r->arena, sizeof(*peer));
	peer->kind = (enum clusterpol_peer_kind)kind;
	peer->loc = node->loc;
	const struct ynode *value = catalog_field(r, node, cnp_peer_keys[kind],
		kind == CLUSTERPOL_PEER_NETWORKS || kind == CLUSTERPOL_PEER_DOMAINS
			? YNODE_SEQUENCE : YNODE_MAPPING);
	if (!value)
		return;
	if (kind == CLUSTERPOL_PEER_NAMESPACES)
		catalog_selector(r, value, &peer->namespaces);
	else if (kind == CLUSTERPOL_PEER_NODES)
		catalog_selector(r, value, &peer->nodes);
	else if (kind == CLUSTERPOL_PEER_PODS)
		catalog_namespaced_pods(r, value, &peer->namespaces, &peer->pods);
	else if (kind == CLUSTERPOL_PEER_NETWORKS)
		catalog_cnp_networks(r, node, peer);
	else
		catalog_cnp_domains(r, node, peer);
	vec_push(r->arena, out, peer);
}

/* destinationPort: {number} or {range: {start, end}}, start below end. */
static void
catalog_cnp_destination(struct catalog_reader *r, const struct ynode *node,
	struct clusterpol_port *port)
{
	static const char *const keys[] = { "number", "range" };
	int which = catalog_one_of(r, node, "a destinationPort", keys, 2, 2);
	if (which == 0) {
		catalog_port(r, node, "number", &port->port);
		return;
	}
	const struct ynode *range = which == 1 ? catalog_field(r, node, "range", YNODE_MAPPING) : NULL;
	if (range && catalog_port(r, range, "start", &port->port) && catalog_port(r, range, "end", &port->end)
		&& port->end <= port->port)
		catalog_bad(r, range, "a range's \"start\" must be below its \"end\"");
}

/* In the order of enum net_proto, then the named port. */
static const char *const cnp_protocol_keys[] = { "tcp", "udp", "sctp", "destinationNamedPort" };

static void
catalog_cnp_port(struct catalog_reader *r, const struct ynode *node, struct vec *out)
{
	int which = catalog_one_of(r, node, "a protocols entry", cnp_protocol_keys, 4, 4);
	if (which < 0)
		return;
	struct clusterpol_port *port = arena_alloc(r->arena, sizeof(*port));
	if (which == 3) {
		port->name = catalog_text(r, node, "destinationNamedPort", true);
	} else {
		port->proto = (enum net_proto)which;
		const struct ynode *proto = catalog_field(r, node, cnp_protocol_keys[which], YNODE_MAPPING);
		const struct ynode *dest = proto ? catalog_field(r, proto, "destinationPort", YNODE_MAPPING)
			: NULL;
		if (dest)
			catalog_cnp_destination(r, dest, port);
	}
	vec_push(r->arena, out, port);
}

static bool
catalog_cnp_action(struct catalog_reader *r, const struct ynode *rule, enum clusterpol_action *out)
{
	static const char *const actions[] = {
		[CLUSTERPOL_ACCEPT] = "Accept", [CLUSTERPOL_DENY] = "Deny", [CLUSTERPOL_PASS] = "Pass",
	};
	const char *action = catalog_text(r, rule, "action", true);
	for (size_t i = 0; action && i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(action, actions[i]) == 0) {
			*out = (enum clusterpol_action)i;
			return true;
		}
	if (action)
		catalog_bad(r, ynode_get(rule, "action"),
			"an action is \"Accept\", \"Deny\" or \"Pass\", not \"%s\"", action);
	return false;
}

/* The CRD's rule for egress: addresses outside pods have no named ports. */
static bool
catalog_cnp_named_outside(const struct clusterpol_rule *rule)
{
	bool outside = false, named = false;
	for (size_t i = 0; i < rule->peers.len; i++) {
		enum clusterpol_peer_kind kind = ((const struct clusterpol_peer *)vec_at(&rule->peers, i))->kind;
		outside |= kind != CLUSTERPOL_PEER_NAMESPACES && kind != CLUSTERPOL_PEER_PODS;
	}
	for (size_t i = 0; i < rule->ports.len; i++)
		named |= ((const struct clusterpol_port *)vec_at(&rule->ports, i))->name != NULL;
	return outside && named;
}

static void
catalog_cnp_rule(struct catalog_reader *r, const struct ynode *node, bool egress, size_t index,
	struct vec *out)
{
	struct clusterpol_rule *rule = arena_alloc(r->arena, sizeof(*rule));
	rule->index = index;
	rule->loc = node->loc;
	rule->name = catalog_text(r, node, "name", false);
	if (rule->name && strlen(rule->name) > 100)
		catalog_bad(r, ynode_get(node, "name"), "a rule's name has at most 100 characters");
	catalog_cnp_action(r, node, &rule->action);
	const struct ynode *peers = catalog_list(r, node, egress ? "to" : "from", 1, 25, true);
	const struct ynode *ports = catalog_list(r, node, "protocols", 1, 25, false), *entry;
	for (size_t i = 0; (entry = catalog_next_mapping(r, peers, &i));)
		catalog_cnp_peer(r, entry, egress, &rule->peers);
	for (size_t i = 0; (entry = catalog_next_mapping(r, ports, &i));)
		catalog_cnp_port(r, entry, &rule->ports);
	if (catalog_cnp_named_outside(rule))
		catalog_bad(r, node, "a rule with a networks, nodes or domainNames peer cannot name a port"
			" (such peers have no named ports)");
	vec_push(r->arena, out, rule);
}

static void
catalog_cnp_rules(struct catalog_reader *r, const struct ynode *spec, bool egress, struct vec *out)
{
	const struct ynode *rules = catalog_list(r, spec, egress ? "egress" : "ingress", 0, 25, false);
	const struct ynode *rule;
	for (size_t i = 0; (rule = catalog_next_mapping(r, rules, &i));)
		catalog_cnp_rule(r, rule, egress, i - 1, out);
}

static void
catalog_cnp_tier(struct catalog_reader *r, const struct ynode *spec, struct clusterpol *cp)
{
	const char *tier = catalog_text(r, spec, "tier", true);
	if (tier && strcmp(tier, "Admin") == 0)
		cp->tier = CLUSTERPOL_ADMIN;
	else if (tier && strcmp(tier, "Baseline") == 0)
		cp->tier = CLUSTERPOL_BASELINE;
	else if (tier)
		catalog_bad(r, ynode_get(spec, "tier"), "a tier is \"Admin\" or \"Baseline\", not \"%s\"",
			tier);
}

static void
catalog_cnp_subject(struct catalog_reader *r, const struct ynode *spec, struct clusterpol *cp)
{
	static const char *const keys[] = { "namespaces", "pods" };
	const struct ynode *subject = catalog_field(r, spec, "subject", YNODE_MAPPING);
	if (!subject) {
		if (r->ok)
			catalog_bad(r, spec, "\"subject\" is required");
		return;
	}
	int which = catalog_one_of(r, subject, "a subject", keys, 2, 2);
	const struct ynode *value = which < 0 ? NULL
		: catalog_field(r, subject, keys[which], YNODE_MAPPING);
	cp->subject_pods = which == 1;
	if (value && cp->subject_pods)
		catalog_namespaced_pods(r, value, &cp->subject_namespaces, &cp->subject_pod_selector);
	else if (value)
		catalog_selector(r, value, &cp->subject_namespaces);
}

struct clusterpol *
catalog_read_clusterpol(struct arena *arena, struct diag_set *diags, const struct ynode *object)
{
	struct catalog_reader r = { arena, diags, NULL, true };
	struct clusterpol *cp = arena_alloc(arena, sizeof(*cp));
	if (!catalog_meta(&r, object, "ClusterNetworkPolicy", NULL, &cp->name, &cp->loc))
		return NULL;
	const struct ynode *spec = catalog_field(&r, object, "spec", YNODE_MAPPING);
	if (!spec) {
		if (r.ok)
			catalog_bad(&r, object, "\"spec\" is required");
		return NULL;
	}
	catalog_cnp_tier(&r, spec, cp);
	const struct ynode *priority = ynode_get(spec, "priority");
	long number;
	if (ynode_is_null(priority))
		catalog_bad(&r, spec, "\"priority\" is required");
	else if (!ynode_int(priority, 0, 1000, &number))
		catalog_bad(&r, priority, "\"priority\" must be an integer from 0 to 1000");
	else
		cp->priority = (int)number;
	catalog_cnp_subject(&r, spec, cp);
	catalog_cnp_rules(&r, spec, false, &cp->ingress_rules);
	catalog_cnp_rules(&r, spec, true, &cp->egress_rules);
	return r.ok ? cp : NULL;
}

/* ---- CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy ---- */

/* Cilium's label sources: a key may say where a label comes from. The
 * evaluator gives pods Kubernetes labels only, so "k8s:" and "any:" are
 * the key itself; another source ("reserved:", "cidr:") stays in the key
 * and so matches no pod. */
static const char *
cilium_key(const char *key)
{
	if (strncmp(key, "k8s:", 4) == 0)
		return key + 4;
	return strncmp(key, "any:", 4) == 0 ? key + 4 : key;
}

static void
cilium_selector(struct catalog_reader *r, const struct ynode *node, struct selector *out)
{
	catalog_selector(r, node, out);
	for (size_t i = 0; i < out->label_count; i++)
		out->labels[i].key = cilium_key(out->labels[i].key);
	for (size_t i = 0; i < out->expr_count; i++)
		out->exprs[i].key = cilium_key(out->exprs[i].key);
	if (r->ok && !selector_normalize(r->arena, out))
		catalog_select_nothing(r->arena, out, out->label_count ? out->labels[0].key : out->exprs[0].key);
}

static void
cilium_endpoints(struct catalog_reader *r, const struct ynode *rule, const char *key, struct vec *out)
{
	const struct ynode *list = catalog_field(r, rule, key, YNODE_SEQUENCE), *item;
	for (size_t i = 0; (item = catalog_next_mapping(r, list, &i));) {
		struct selector *sel = arena_alloc(r->arena, sizeof(*sel));
		cilium_selector(r, item, sel);
		vec_push(r->arena, out, sel);
	}
}

static void
cilium_add_cidr(struct catalog_reader *r, const struct ynode *node, const struct ynode *except,
	struct vec *out)
{
	struct cilium_cidr *cidr = arena_alloc(r->arena, sizeof(*cidr));
	if (!catalog_cidr(r, node, &cidr->cidr))
		return;
	for (size_t i = 0; except && i < except->count; i++) {
		struct net_cidr *hole = arena_alloc(r->arena, sizeof(*hole));
		if (catalog_cidr(r, except->items[i], hole))
			vec_push(r->arena, &cidr->except, hole);
	}
	vec_push(r->arena, out, cidr);
}

/* toCIDR (strings) and toCIDRSet (cidr with except, or cidrGroupRef). */
static void
cilium_cidrs(struct catalog_reader *r, const struct ynode *rule, const char *plain_key,
	const char *set_key, struct vec *out)
{
	const struct ynode *plain = catalog_field(r, rule, plain_key, YNODE_SEQUENCE);
	for (size_t i = 0; plain && i < plain->count; i++)
		cilium_add_cidr(r, plain->items[i], NULL, out);
	const struct ynode *set = catalog_field(r, rule, set_key, YNODE_SEQUENCE), *item;
	for (size_t i = 0; (item = catalog_next_mapping(r, set, &i));) {
		const char *group = catalog_text(r, item, "cidrGroupRef", false);
		if (group) {
			struct cilium_cidr *cidr = arena_alloc(r->arena, sizeof(*cidr));
			cidr->group_ref = group;
			vec_push(r->arena, out, cidr);
		} else if (catalog_text(r, item, "cidr", true)) {
			cilium_add_cidr(r, ynode_get(item, "cidr"),
				catalog_field(r, item, "except", YNODE_SEQUENCE), out);
		}
	}
}

static unsigned
cilium_entities(struct catalog_reader *r, const struct ynode *rule, const char *key)
{
	static const struct { const char *name; unsigned bits; } names[] = {
		{ "world", CILIUM_ENTITY_WORLD }, { "world-ipv4", CILIUM_ENTITY_WORLD },
		{ "world-ipv6", CILIUM_ENTITY_WORLD }, { "cluster", CILIUM_ENTITY_CLUSTER },
		{ "host", CILIUM_ENTITY_HOST }, { "remote-node", CILIUM_ENTITY_REMOTE_NODE },
		{ "kube-apiserver", CILIUM_ENTITY_KUBE_APISERVER }, { "health", CILIUM_ENTITY_OTHER },
		{ "init", CILIUM_ENTITY_OTHER }, { "ingress", CILIUM_ENTITY_OTHER },
		{ "unmanaged", CILIUM_ENTITY_OTHER }, { "all", CILIUM_ENTITY_ALL },
	};
	const struct ynode *list = catalog_field(r, rule, key, YNODE_SEQUENCE);
	unsigned bits = 0;
	for (size_t i = 0; list && i < list->count; i++) {
		const char *name = ynode_string(list->items[i]);
		size_t k = 0;
		while (name && k < sizeof(names) / sizeof(names[0]) && strcmp(names[k].name, name) != 0)
			k++;
		if (name && k < sizeof(names) / sizeof(names[0]))
			bits |= names[k].bits;
		else if (name)
			catalog_bad(r, list->items[i], "unknown entity \"%s\" (Cilium's are world, cluster, "
				"host, remote-node, kube-apiserver, health, init, ingress, unmanaged and all)", name);
		else
			catalog_bad(r, list->items[i], "an entity must be a string");
	}
	return bits;
}

/* A matchName or matchPattern entry (toFQDNs, rules.dns), lower case: DNS
 * names compare without case, and Cilium matches them so. */
static void
cilium_names(struct catalog_reader *r, const struct ynode *map, const char *key, struct vec *out)
{
	const struct ynode *list = catalog_field(r, map, key, YNODE_SEQUENCE), *item;
	for (size_t i = 0; (item = catalog_next_mapping(r, list, &i));) {
		static const char *const keys[] = { "matchName", "matchPattern" };
		int which = catalog_one_of(r, item, "a DNS name", keys, 2, 2);
		const char *text = which < 0 ? NULL : catalog_text(r, item, keys[which], true);
		const char *why = text ? validate_cilium_name(text, which == 1) : NULL;
		if (why)
			catalog_bad(r, ynode_get(item, keys[which]), "\"%s\": %s", text, why);
		if (!text || why)
			continue;
		char *lower = arena_strdup_lower(r->arena, text);
		size_t len = strlen(lower);
		if (len > 1 && lower[len - 1] == '.')
			lower[len - 1] = '\0';
		struct cilium_name *name = arena_alloc(r->arena, sizeof(*name));
		*name = (struct cilium_name){ lower, which == 1 };
		vec_push(r->arena, out, name);
	}
}

static void
cilium_services(struct catalog_reader *r, const struct ynode *rule, const char *ns, struct vec *out)
{
	const struct ynode *list = catalog_field(r, rule, "toServices", YNODE_SEQUENCE), *item;
	for (size_t i = 0; (item = catalog_next_mapping(r, list, &i));) {
		static const char *const keys[] = { "k8sService", "k8sServiceSelector" };
		int which = catalog_one_of(r, item, "a toServices entry", keys, 2, 2);
		const struct ynode *body = which < 0 ? NULL : catalog_field(r, item, keys[which], YNODE_MAPPING);
		if (!body)
			continue;
		struct cilium_service *svc = arena_alloc(r->arena, sizeof(*svc));
		svc->ns = catalog_text(r, body, "namespace", false);
		if (!svc->ns)
			svc->ns = ns;
		if (which == 0) {
			svc->name = catalog_text(r, body, "serviceName", true);
		} else {
			const struct ynode *sel = catalog_field(r, body, "selector", YNODE_MAPPING);
			if (sel)
				catalog_selector(r, sel, &svc->selector);
			else if (r->ok)
				catalog_bad(r, body, "\"selector\" is required");
		}
		vec_push(r->arena, out, svc);
	}
}

/* A port as Cilium writes it: a string holding a number (0 or none: every
 * port) or a port name, an endPort, a protocol (ANY when none). */
static void
cilium_port(struct catalog_reader *r, const struct ynode *node, struct vec *out)
{
	struct cilium_port *port = arena_alloc(r->arena, sizeof(*port));
	const struct ynode *value = ynode_get(node, "port");
	const char *text = ynode_string(value);
	/* Quoted or not: the CRD's port is a string of digits. */
	size_t digits = text ? strspn(text, "0123456789") : 0;
	if (ynode_is_null(value))
		port->port = 0;
	else if (digits && !text[digits] && digits <= 5 && atoi(text) <= 65535)
		port->port = atoi(text);
	else if (is_port_name(text))
		port->name = text;
	else
		catalog_bad(r, value, "\"port\" must be a port number from 0 to 65535 or a port name");
	const char *proto = catalog_text(r, node, "protocol", false);
	port->proto_any = !proto || strcmp(proto, "ANY") == 0;
	if (!port->proto_any && !net_parse_proto(proto, &port->proto))
		catalog_bad(r, ynode_get(node, "protocol"), "unknown protocol");
	catalog_end_port(r, node, port->port, &port->end);
	vec_push(r->arena, out, port);
}

static void
cilium_port_rules(struct catalog_reader *r, const struct ynode *rule, struct vec *out)
{
	const struct ynode *list = catalog_field(r, rule, "toPorts", YNODE_SEQUENCE), *item, *entry;
	for (size_t i = 0; (item = catalog_next_mapping(r, list, &i));) {
		struct cilium_port_rule *ports = arena_alloc(r->arena, sizeof(*ports));
		const struct ynode *entries = catalog_field(r, item, "ports", YNODE_SEQUENCE);
		for (size_t j = 0; (entry = catalog_next_mapping(r, entries, &j));)
			cilium_port(r, entry, &ports->ports);
		const struct ynode *l7 = catalog_field(r, item, "rules", YNODE_MAPPING);
		if (l7) {
			cilium_names(r, l7, "dns", &ports->dns);
			ports->l7 = l7->count > (ynode_get(l7, "dns") ? 1u : 0u);
		}
		vec_push(r->arena, out, ports);
	}
}

/* Which peers a rule of one direction names: ingress fields start "from",
 * egress "to"; Cilium does not know the others there. */
static void
cilium_rule(struct catalog_reader *r, const struct ynode *node, bool egress, const char *ns,
	struct vec *out)
{
	static const char *const unmodelled[2][3] = {
		{ "fromGroups", "fromNodes", "fromRequires" }, { "toGroups", "toNodes", "toRequires" },
	};
	struct cilium_rule *rule = arena_alloc(r->arena, sizeof(*rule));
	rule->loc = node->loc;
	cilium_endpoints(r, node, egress ? "toEndpoints" : "fromEndpoints", &rule->endpoints);
	cilium_cidrs(r, node, egress ? "toCIDR" : "fromCIDR", egress ? "toCIDRSet" : "fromCIDRSet",
		&rule->cidrs);
	rule->entities = cilium_entities(r, node, egress ? "toEntities" : "fromEntities");
	if (egress) {
		cilium_names(r, node, "toFQDNs", &rule->fqdns);
		cilium_services(r, node, ns, &rule->services);
	}
	for (size_t i = 0; i < 3; i++)
		rule->unmodelled_peer |= !ynode_is_null(ynode_get(node, unmodelled[egress][i]));
	/* As Cilium reads a rule: an empty peer list is no peer at all. */
	rule->has_peers = rule->unmodelled_peer || rule->endpoints.len || rule->cidrs.len || rule->entities
		|| rule->fqdns.len || rule->services.len;
	cilium_port_rules(r, node, &rule->port_rules);
	vec_push(r->arena, out, rule);
}

static void
cilium_rules(struct catalog_reader *r, const struct ynode *spec, const char *key, bool egress,
	const char *ns, struct vec *out)
{
	const struct ynode *list = catalog_field(r, spec, key, YNODE_SEQUENCE), *item;
	for (size_t i = 0; (item = catalog_next_mapping(r, list, &i));)
		cilium_rule(r, item, egress, ns, out);
}

/* enableDefaultDeny: by default on in each direction the rule has rules
 * for (allow or deny), off in the other. */
static void
cilium_default_deny(struct catalog_reader *r, const struct ynode *spec, struct ciliumpol *cp)
{
	cp->default_deny_ingress = cp->ingress.len || cp->ingress_deny.len;
	cp->default_deny_egress = cp->egress.len || cp->egress_deny.len;
	const struct ynode *flags = catalog_field(r, spec, "enableDefaultDeny", YNODE_MAPPING);
	const char *const keys[] = { "ingress", "egress" };
	bool *const out[] = { &cp->default_deny_ingress, &cp->default_deny_egress };
	for (size_t i = 0; flags && i < 2; i++) {
		const char *value = ynode_string(ynode_get(flags, keys[i]));
		if (value && (strcmp(value, "true") == 0 || strcmp(value, "false") == 0))
			*out[i] = strcmp(value, "true") == 0;
		else if (!ynode_is_null(ynode_get(flags, keys[i])))
			catalog_bad(r, ynode_get(flags, keys[i]), "\"%s\" must be true or false", keys[i]);
	}
}

static struct ciliumpol *
cilium_spec(struct catalog_reader *r, const struct ynode *spec, const char *ns, size_t index)
{
	struct ciliumpol *cp = arena_alloc(r->arena, sizeof(*cp));
	*cp = (struct ciliumpol){ .ns = ns, .index = index, .loc = spec->loc };
	const struct ynode *endpoints = catalog_field(r, spec, "endpointSelector", YNODE_MAPPING);
	cp->node_selector = catalog_field(r, spec, "nodeSelector", YNODE_MAPPING) != NULL;
	if (endpoints)
		cilium_selector(r, endpoints, &cp->endpoints);
	else if (!cp->node_selector && r->ok)
		catalog_bad(r, spec, "\"endpointSelector\" or \"nodeSelector\" is required");
	cilium_rules(r, spec, "ingress", false, ns, &cp->ingress);
	cilium_rules(r, spec, "ingressDeny", false, ns, &cp->ingress_deny);
	cilium_rules(r, spec, "egress", true, ns, &cp->egress);
	cilium_rules(r, spec, "egressDeny", true, ns, &cp->egress_deny);
	cilium_default_deny(r, spec, cp);
	return cp;
}

bool
catalog_read_ciliumpol(struct arena *arena, struct diag_set *diags, const struct ynode *object,
	struct vec *out)
{
	struct catalog_reader r = { arena, diags, NULL, true };
	const char *kind = ynode_string(ynode_get(object, "kind"));
	bool clusterwide = kind && strcmp(kind, "CiliumClusterwideNetworkPolicy") == 0;
	const char *ns = NULL, *name;
	struct loc loc;
	if (!catalog_meta(&r, object, clusterwide ? kind : "CiliumNetworkPolicy", clusterwide ? NULL : &ns,
		&name, &loc))
		return false;
	const struct ynode *spec = catalog_field(&r, object, "spec", YNODE_MAPPING);
	const struct ynode *specs = catalog_field(&r, object, "specs", YNODE_SEQUENCE), *item;
	if (!spec && !specs && r.ok)
		catalog_bad(&r, object, "\"spec\" or \"specs\" is required");
	struct vec rules = { 0 };
	if (spec)
		vec_push(arena, &rules, cilium_spec(&r, spec, ns, 0));
	for (size_t i = 0; (item = catalog_next_mapping(&r, specs, &i));)
		vec_push(arena, &rules, cilium_spec(&r, item, ns, rules.len));
	for (size_t i = 0; r.ok && i < rules.len; i++) {
		struct ciliumpol *cp = vec_at(&rules, i);
		cp->name = name;
		vec_push(arena, out, cp);
	}
	return r.ok;
}

int
clusterpol_compare(const void *a, const void *b)
{
	const struct clusterpol *x = *(const struct clusterpol *const *)a;
	const struct clusterpol *y = *(const struct clusterpol *const *)b;
	if (x->tier != y->tier)
		return x->tier == CLUSTERPOL_ADMIN ? -1 : 1;
	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The labels under metadata.labels of node (none when absent). */
static bool
catalog_meta_labels(struct catalog_reader *r, const struct ynode *node, struct label **labels,
	size_t *count)
{
	const struct ynode *meta = catalog_field(r, node, "metadata", YNODE_MAPPING);
	const struct ynode *map = meta ? catalog_field(r, meta, "labels", YNODE_MAPPING) : NULL;
	*labels = NULL;
	*count = 0;
	return !map || catalog_labels(r, map, labels, count);
}

static void
catalog_read_namespace(struct catalog_builder *b, const struct ynode *object)
{
	struct catalog_reader r = { b->arena, b->diags, "Namespace", true };
	struct catalog_namespace *ns = arena_alloc(b->arena, sizeof(*ns));
	const struct ynode *meta = catalog_field(&r, object, "metadata", YNODE_MAPPING);
	ns->name = meta ? catalog_text(&r, meta, "name", true) : NULL;
	if (!ns->name || !catalog_meta_labels(&r, object, &ns->labels, &ns->label_count))
		return;
	ns->loc = ynode_get(meta, "name")->loc;
	vec_push(b->arena, &b->catalog->namespaces, ns);
}

/* The pod template of a workload: spec.template, or for a CronJob
 * spec.jobTemplate.spec.template; a Pod is its own. */
static const struct ynode *
catalog_pod_template(const struct ynode *object, const char *kind)
{
	if (strcmp(kind, "Pod") == 0)
		return object;
	const struct ynode *spec = ynode_get(object, "spec");
	if (strcmp(kind, "CronJob") == 0)
		spec = ynode_get(ynode_get(ynode_get(spec, "jobTemplate"), "spec"), "template");
	else
		spec = ynode_get(spec, "template");
	return spec;
}

/* The ports of spec.containers of a pod (template); what is malformed is
 * skipped, since they only ever feed a warning. */
static void
catalog_container_ports(struct arena *arena, const struct ynode *pod, struct vec *ports)
{
	const struct ynode *containers = ynode_get(ynode_get(pod, "spec"), "containers");
	for (size_t i = 0; containers && containers->kind == YNODE_SEQUENCE && i < containers->count; i++) {
		const struct ynode *list = ynode_get(containers->items[i], "ports");
		for (size_t j = 0; list && list->kind == YNODE_SEQUENCE && j < list->count; j++) {
			const struct ynode *item = list->items[j];
			const char *proto = ynode_string(ynode_get(item, "protocol"));
			struct container_port port = { 0, NET_TCP, ynode_string(ynode_get(item, "name")) };
			long number;
			if (!ynode_int(ynode_get(item, "containerPort"), 1, 65535, &number)
				|| (proto && !net_parse_proto(proto, &port.proto)))
				continue;
			port.number = (int)number;
			struct container_port *copy = arena_alloc(arena, sizeof(*copy));
			*copy = port;
			vec_push(arena, ports, copy);
		}
	}
}

static void
catalog_read_workload(struct catalog_builder *b, const struct ynode *object)
{
	struct catalog_reader r = { b->arena, b->diags, NULL, true };
	struct workload *w = arena_alloc(b->arena, sizeof(*w));
	w->kind = ynode_string(ynode_get(object, "kind"));
	if (!catalog_meta(&r, object, w->kind, &w->ns, &w->name, &w->loc))
		return;
	const struct ynode *pod = catalog_pod_template(object, w->kind);
	if (!pod || pod->kind != YNODE_MAPPING || !catalog_meta_labels(&r, pod, &w->labels, &w->label_count))
		return;
	catalog_container_ports(b->arena, pod, &w->ports);
	vec_push(b->arena, &b->catalog->workloads, w);
}

static enum catalog_kind
catalog_kind_of(const struct ynode *object)
{
	const char *kind = ynode_string(ynode_get(object, "kind"));
	const char *api = ynode_string(ynode_get(object, "apiVersion"));
	for (size_t i = 0; kind && api && i < sizeof(catalog_kinds) / sizeof(catalog_kinds[0]); i++) {
		const char *want = catalog_kinds[i].api_version;
		size_t len = strlen(want);
		bool group = want[len - 1] == '/';
		if (strcmp(kind, catalog_kinds[i].kind) == 0
			&& (group ? strncmp(api, want, len) == 0 : strcmp(api, want) == 0))
			return catalog_kinds[i].type;
	}
	return CATALOG_OTHER;
}

static bool
catalog_has_vendorc_key(const struct ynode *map)
{
	for (size_t i = 0; map && map->kind == YNODE_MAPPING && i < map->count; i++) {
		const char *key = ynode_string(map->items[2 * i]);
		if (key && strncmp(key, "vendorc.io/", strlen("vendorc.io/")) == 0)
			return true;
	}
	return false;
}

/* A hand edit may drop the label; the vendorc.io/ keys vendorc writes
 * beside it still say whose the object is. */
bool
catalog_is_ours(const struct ynode *object)
{
	const struct ynode *meta = ynode_get(object, "metadata");
	const struct ynode *labels = ynode_get(meta, "labels");
	const char *manager = ynode_string(ynode_get(labels, "app.kubernetes.io/managed-by"));
	return (manager && strcmp(manager, "vendorc") == 0) || catalog_has_vendorc_key(labels)
		|| catalog_has_vendorc_key(ynode_get(meta, "annotations"));
}

static void
catalog_add_object(struct catalog_builder *b, const struct ynode *node)
{
	enum catalog_kind kind = catalog_kind_of(node);
	if (kind == CATALOG_OTHER || catalog_is_ours(node))
		return;
	if (b->objects.len == LIMIT_CATALOG_OBJECTS) {
		if (!b->full)
			diag_report(b->diags, DIAG_LIMIT_EXCEEDED, &node->loc,
				"more than %d objects in the catalog", LIMIT_CATALOG_OBJECTS);
		b->full = true;
		return;
	}
	struct catalog_object *object = arena_alloc(b->nodes, sizeof(*object));
	*object = (struct catalog_object){ node, kind };
	vec_push(b->nodes, &b->objects, object);
}

bool
catalog_document_objects(struct arena *arena, struct diag_set *diags, const struct ynode *doc,
	struct vec *objects)
{
	const char *kind = ynode_string(ynode_get(doc, "kind"));
	if (!kind || strcmp(kind, "List") != 0) {
		vec_push(arena, objects, (void *)doc);
		return false;
	}
	struct catalog_reader r = { arena, diags, "List", true };
	const struct ynode *items = catalog_field(&r, doc, "items", YNODE_SEQUENCE);
	for (size_t i = 0; items && i < items->count; i++)
		vec_push(arena, objects, items->items[i]);
	return true;
}

static void
catalog_add_document(struct catalog_builder *b, const struct ynode *doc)
{
	struct vec objects = { 0 };
	catalog_document_objects(b->nodes, b->diags, doc, &objects);
	for (size_t i = 0; i < objects.len; i++)
		catalog_add_object(b, vec_at(&objects, i));
}

/* One catalog file, read and parsed by a parallel job: the files' trees
 * are built side by side, then added to the builder in file order. */
struct catalog_file {
	const struct project_path *path; /* NULL when src is given */
	struct source *src;
	struct arena *nodes;             /* its tree, dropped when the catalog is built */
	struct diag_set *diags;
	struct vec docs;
	bool parsed;
};

static void
catalog_parse_file(void *context, size_t index, struct arena *arena, struct arena *scratch)
{
	struct catalog_file *file = (struct catalog_file *)context + index;
	file->diags = diag_set_create(arena);
	if (file->path) {
		bool missing;
		file->src = source_read(arena, file->diags, file->path->fs, file->path->display,
			LIMIT_CATALOG_FILE_SIZE, &file->path->loc, &missing);
		if (missing)
			diag_report(file->diags, DIAG_IO_ERROR, &file->path->loc,
				"\"%s\" vanished while being read", file->path->display);
	}
	if (!file->src)
		return;
	file->nodes = arena_create();
	file->parsed = ynode_load_split(file->nodes, arena, file->diags, file->src, &file->docs);
}

static void
catalog_add_files(struct catalog_builder *b, struct catalog_file *files, size_t count)
{
	parallel_run(b->arena, count, catalog_parse_file, files);
	for (size_t i = 0; i < count; i++) {
		diag_set_absorb(b->diags, files[i].diags);
		if (files[i].src)
			vec_push(b->arena, &b->catalog->sources, files[i].src);
		for (size_t d = 0; files[i].parsed && d < files[i].docs.len; d++)
			catalog_add_document(b, vec_at(&files[i].docs, d));
	}
	b->files = files;
	b->file_count = count;
}

static int
catalog_namespace_compare(const void *a, const void *b)
{
	return strcmp((*(const struct catalog_namespace *const *)a)->name,
		(*(const struct catalog_namespace *const *)b)->name);
}

static int
catalog_workload_compare(const void *a, const void *b)
{
	const struct workload *x = *(const struct workload *const *)a;
	const struct workload *y = *(const struct workload *const *)b;
	int order = strcmp(x->ns, y->ns);
	if (!order)
		order = strcmp(x->name, y->name);
	return order ? order : strcmp(x->kind, y->kind);
}

/* Services first, so that Endpoints and EndpointSlices read in any order
 * (or file) find theirs. */
/* The rules of one Cilium object, filed under its name like the other
 * kinds, so that of two objects of one name the first counts. */
static void
catalog_add_ciliumpol(struct catalog_builder *b, const struct ynode *node)
{
	struct vec *rules = arena_alloc(b->arena, sizeof(*rules));
	if (!catalog_read_ciliumpol(b->arena, b->diags, node, rules) || rules->len == 0)
		return;
	const struct ciliumpol *first = vec_at(rules, 0);
	catalog_add_named(b, &b->ciliumpols, first->ns ? first->ns : "", first->name, rules);
}

static void
catalog_read_objects(struct catalog_builder *b)
{
	struct catalog *catalog = b->catalog;
	for (size_t i = 0; i < b->objects.len; i++) {
		const struct catalog_object *object = vec_at(&b->objects, i);
		if (object->kind == CATALOG_SERVICE)
			catalog_read_service(b, object->node);
		else if (object->kind == CATALOG_NAMESPACE)
			catalog_read_namespace(b, object->node);
		else if (object->kind == CATALOG_WORKLOAD)
			catalog_read_workload(b, object->node);
		struct netpol *np = object->kind == CATALOG_NETWORK_POLICY
			? catalog_read_netpol(b->arena, b->diags, object->node) : NULL;
		if (np)
			catalog_add_named(b, &b->netpols, np->ns, np->name, np);
		struct clusterpol *cp = object->kind == CATALOG_CLUSTER_NETWORK_POLICY
			? catalog_read_clusterpol(b->arena, b->diags, object->node) : NULL;
		if (cp)
			catalog_add_named(b, &b->clusterpols, "", cp->name, cp);
		if (object->kind == CATALOG_CILIUM_POLICY)
			catalog_add_ciliumpol(b, object->node);
	}
	catalog_finish_named(b->arena, &b->services, &catalog->services);
	catalog_finish_named(b->arena, &b->netpols, &catalog->netpols);
	catalog_finish_named(b->arena, &b->clusterpols, &catalog->clusterpols);
	struct vec cilium_objects = { 0 };
	catalog_finish_named(b->arena, &b->ciliumpols, &cilium_objects);
	for (size_t i = 0; i < cilium_objects.len; i++) {
		const struct vec *rules = vec_at(&cilium_objects, i);
		for (size_t j = 0; j < rules->len; j++)
			vec_push(b->arena, &catalog->ciliumpols, vec_at(rules, j));
	}
	vec_sort(&catalog->clusterpols, clusterpol_compare);
	for (size_t i = 0; i < b->objects.len; i++) {
		const struct catalog_object *object = vec_at(&b->objects, i);
		if (object->kind == CATALOG_ENDPOINTS)
			catalog_read_endpoints(b, object->node);
		else if (object->kind == CATALOG_ENDPOINT_SLICE)
			catalog_read_endpoint_slice(b, object->node);
	}
	vec_sort_unique(&catalog->namespaces, catalog_namespace_compare);
	vec_sort_unique(&catalog->workloads, catalog_workload_compare);
}

static size_t
catalog_errors(const struct diag_set *diags)
{
	return diag_count(diags, DIAG_ERROR) + diag_count(diags, DIAG_FATAL);
}

static struct catalog_builder
catalog_builder(struct arena *arena, struct diag_set *diags)
{
	return (struct catalog_builder){
		.arena = arena,
		.nodes = arena_create(),
		.diags = diags,
		.catalog = arena_alloc(arena, sizeof(struct catalog)),
	};
}

static struct catalog *
catalog_finish(struct catalog_builder *b, size_t errors)
{
	catalog_read_objects(b);
	arena_destroy(b->nodes);
	for (size_t i = 0; i < b->file_count; i++)
		arena_destroy(b->files[i].nodes);
	return catalog_errors(b->diags) != errors ? NULL : b->catalog;
}

const char *const catalog_file_suffixes[CATALOG_FILE_SUFFIXES] = { ".yaml", ".yml", ".json" };

struct catalog *
catalog_load(struct arena *arena, struct diag_set *diags, const struct project *project)
{
	size_t errors = catalog_errors(diags);
	struct catalog_builder b = catalog_builder(arena, diags);
	struct vec files = { 0 };
	for (size_t i = 0; i < project->catalog.len; i++)
		fswalk_files(arena, diags, vec_at(&project->catalog, i), catalog_file_suffixes,
			CATALOG_FILE_SUFFIXES, &files);
	struct catalog_file *read = arena_array(arena, files.len, sizeof(*read));
	for (size_t i = 0; i < files.len; i++)
		read[i].path = vec_at(&files, i);
	catalog_add_files(&b, read, files.len);
	return catalog_finish(&b, errors);
}

struct catalog *
catalog_from_sources(struct arena *arena, struct diag_set *diags, const struct vec *sources)
{
	size_t errors = catalog_errors(diags);
	struct catalog_builder b = catalog_builder(arena, diags);
	struct catalog_file *given = arena_array(arena, sources->len, sizeof(*given));
	for (size_t i = 0; i < sources->len; i++)
		given[i].src = vec_at(sources, i);
	catalog_add_files(&b, given, sources->len);
	return catalog_finish(&b, errors);
}

int
netpol_compare(const void *a, const void *b)
{
	const struct netpol *x = *(const struct netpol *const *)a, *y = *(const struct netpol *const *)b;
	int by_ns = strcmp(x->ns, y->ns);
	return by_ns ? by_ns : strcmp(x->name, y->name);
}

static int
netpol_ns_order(const void *key, const void *item)
{
	return strcmp(key, ((const struct netpol *)item)->ns);
}

void
catalog_known_namespaces(struct arena *arena, const struct catalog *catalog, struct vec *names)
{
	for (size_t i = 0; i < catalog->namespaces.len; i++)
		vec_push(arena, names, (void *)((const struct catalog_namespace *)vec_at(&catalog->namespaces, i))->name);
	for (size_t i = 0; i < catalog->services.len; i++)
		vec_push(arena, names, (void *)((const struct service *)vec_at(&catalog->services, i))->ns);
	for (size_t i = 0; i < catalog->workloads.len; i++)
		vec_push(arena, names, (void *)((const struct workload *)vec_at(&catalog->workloads, i))->ns);
	for (size_t i = 0; i < catalog->netpols.len; i++)
		vec_push(arena, names, (void *)((const struct netpol *)vec_at(&catalog->netpols, i))->ns);
	vec_sort_unique(names, vec_compare_strings);
}

void
netpol_range(const struct vec *sorted, const char *ns, size_t *first, size_t *end)
{
	vec_equal_range(sorted, ns, netpol_ns_order, first, end);
}

/* The namespace a namespaceSelector that is only kubernetes.io/metadata.name
 * names, or NULL. */
static const char *
catalog_named_namespace(const struct selector *sel)
{
	bool named = sel->label_count == 1 && sel->expr_count == 0
		&& strcmp(sel->labels[0].key, "kubernetes.io/metadata.name") == 0;
	return named ? sel->labels[0].value : NULL;
}

/* The namespace a peer is confined to: its own policy's for a podSelector
 * alone, the one named for a namespaceSelector that is only
 * kubernetes.io/metadata.name; NULL for anything wider or an ipBlock. */
const char *
netpol_peer_namespace(const struct netpol *np, const struct netpol_peer *peer)
{
	if (peer->has_cidr)
		return NULL;
	if (!peer->has_namespace_selector)
		return np->ns;
	return catalog_named_namespace(&peer->namespace_selector);
}

const char *
clusterpol_subject_namespace(const struct clusterpol *cp)
{
	return catalog_named_namespace(&cp->subject_namespaces);
}

/* A namespaceSelector as the backends write it for one namespace. */
static const char *
namespace_text(struct arena *arena, const struct selector *sel)
{
	const char *named = catalog_named_namespace(sel);
	if (named)
		return arena_printf(arena, "namespace %s", named);
	return selector_is_everything(sel) ? "every namespace"
		: arena_printf(arena, "namespaces %s", selector_text(arena, sel));
}

const char *
netpol_peer_text(struct arena *arena, const struct netpol_peer *peer, const char *policy_ns)
{
	if (peer->has_cidr) {
		const char *text = net_format_cidr(arena, &peer->cidr);
		for (size_t i = 0; i < peer->except.len; i++)
			text = arena_printf(arena, "%s%s%s", text, i ? ", " : " except ",
				net_format_cidr(arena, vec_at(&peer->except, i)));
		return text;
	}
	const struct selector everything = { 0 };
	const char *pods = selector_pods_text(arena, peer->has_pod_selector ? &peer->pod_selector : &everything);
	if (!peer->has_namespace_selector)
		return arena_printf(arena, "%s in namespace %s", pods, policy_ns);
	return arena_printf(arena, "%s in %s", pods, namespace_text(arena, &peer->namespace_selector));
}

const char *
netpol_port_text(struct arena *arena, const struct netpol_port *port)
{
	const char *proto = net_proto_name(port->proto);
	if (port->has_proto_only)
		return arena_printf(arena, "every %s port", proto);
	if (port->port_name)
		return arena_printf(arena, "%s %s", proto, port->port_name);
	if (port->end_port)
		return arena_printf(arena, "%s %d-%d", proto, port->port, port->end_port);
	return arena_printf(arena, "%s %d", proto, port->port);
}

const char *
clusterpol_subject_text(struct arena *arena, const struct clusterpol *cp)
{
	const char *tier = cp->tier == CLUSTERPOL_ADMIN ? "Admin" : "Baseline";
	const char *pods = cp->subject_pods ? selector_pods_text(arena, &cp->subject_pod_selector) : "all pods";
	return arena_printf(arena, "%s in %s (%s tier, priority %d)", pods,
		namespace_text(arena, &cp->subject_namespaces), tier, cp->priority);
}

static const char *
joined(struct arena *arena, const struct vec *items, const char *(*text_of)(struct arena *, const void *))
{
	const char *text = "";
	for (size_t i = 0; i < items->len; i++)
		text = arena_printf(arena, "%s%s%s", text, i ? ", " : "", text_of(arena, vec_at(items, i)));
	return text;
}

static const char *
cidr_text(struct arena *arena, const void *cidr)
{
	return net_format_cidr(arena, cidr);
}

static const char *
string_text(struct arena *arena, const void *text)
{
	(void)arena;
	return text;
}

const char *
clusterpol_peer_text(struct arena *arena, const struct clusterpol_peer *peer)
{
	switch (peer->kind) {
	case CLUSTERPOL_PEER_NAMESPACES:
		return arena_printf(arena, "all pods in %s", namespace_text(arena, &peer->namespaces));
	case CLUSTERPOL_PEER_PODS:
		return arena_printf(arena, "%s in %s", selector_pods_text(arena, &peer->pods),
			namespace_text(arena, &peer->namespaces));
	case CLUSTERPOL_PEER_NETWORKS:
		return joined(arena, &peer->networks, cidr_text);
	case CLUSTERPOL_PEER_DOMAINS:
		return arena_printf(arena, "domains %s", joined(arena, &peer->domains, string_text));
	case CLUSTERPOL_PEER_NODES:
		return arena_printf(arena, "nodes %s", selector_text(arena, &peer->nodes));
	}
	return "";
}

const char *
clusterpol_port_text(struct arena *arena, const struct clusterpol_port *port)
{
	const char *proto = net_proto_name(port->proto);
	if (port->name)
		return arena_printf(arena, "port named %s", port->name);
	if (port->port == 0)
		return arena_printf(arena, "every %s port", proto);
	if (port->end)
		return arena_printf(arena, "%s %d-%d", proto, port->port, port->end);
	return arena_printf(arena, "%s %d", proto, port->port);
}

const char cilium_namespace_label[] = "io.kubernetes.pod.namespace";
const char cilium_namespace_labels_prefix[] = "io.cilium.k8s.namespace.labels.";

const char *
ciliumpol_endpoint_namespace(const struct ciliumpol *cp, const struct selector *sel)
{
	for (size_t i = 0; i < sel->label_count; i++)
		if (strcmp(sel->labels[i].key, cilium_namespace_label) == 0)
			return sel->labels[i].value;
	for (size_t i = 0; i < sel->expr_count; i++)
		if (strcmp(sel->exprs[i].key, cilium_namespace_label) == 0)
			return NULL;
	return cp->ns;
}

/* "pods app=x in namespace billing": the namespace label is said as the
 * namespace, not as one of the pods' labels. */
static const char *
cilium_endpoints_text(struct arena *arena, const struct ciliumpol *cp, const struct selector *sel)
{
	struct selector rest = *sel;
	const char *ns = ciliumpol_endpoint_namespace(cp, sel);
	struct label *labels = arena_array(arena, sel->label_count + 1, sizeof(*labels));
	rest.labels = labels;
	rest.label_count = 0;
	for (size_t i = 0; i < sel->label_count; i++)
		if (strcmp(sel->labels[i].key, cilium_namespace_label) != 0)
			labels[rest.label_count++] = sel->labels[i];
	const char *pods = selector_pods_text(arena, &rest);
	return ns ? arena_printf(arena, "%s in namespace %s", pods, ns)
		: arena_printf(arena, "%s in any namespace", pods);
}

int
ciliumpol_compare(const void *a, const void *b)
{
	const struct ciliumpol *x = *(const struct ciliumpol *const *)a, *y = *(const struct ciliumpol *const *)b;
	int by_ns = strcmp(x->ns ? x->ns : "", y->ns ? y->ns : "");
	int by_name = by_ns ? by_ns : strcmp(x->name, y->name);
	return by_name ? by_name : (x->index > y->index) - (x->index < y->index);
}

const char *
ciliumpol_subject_text(struct arena *arena, const struct ciliumpol *cp)
{
	return cp->node_selector ? "nodes" : cilium_endpoints_text(arena, cp, &cp->endpoints);
}

static const char *
cilium_cidr_text(struct arena *arena, const struct cilium_cidr *cidr)
{
	if (cidr->group_ref)
		return arena_printf(arena, "CIDR group %s", cidr->group_ref);
	const char *text = net_format_cidr(arena, &cidr->cidr);
	return cidr->except.len ? arena_printf(arena, "%s except %s", text, joined(arena, &cidr->except, cidr_text))
		: text;
}

static const char *
cilium_entities_text(struct arena *arena, unsigned entities)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ CILIUM_ENTITY_WORLD, "world" }, { CILIUM_ENTITY_CLUSTER, "cluster" },
		{ CILIUM_ENTITY_HOST, "host" }, { CILIUM_ENTITY_REMOTE_NODE, "remote-node" },
		{ CILIUM_ENTITY_KUBE_APISERVER, "kube-apiserver" }, { CILIUM_ENTITY_OTHER, "health, init, ingress or unmanaged" },
	};
	if (entities == CILIUM_ENTITY_ALL)
		return "entity all";
	const char *text = "";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (entities & names[i].bit)
			text = arena_printf(arena, "%s%s%s", text, *text ? ", " : "", names[i].name);
	return arena_printf(arena, "entities %s", text);
}

static const char *
cilium_name_text(struct arena *arena, const void *item)
{
	const struct cilium_name *name = item;
	return arena_printf(arena, "%s %s", name->pattern ? "pattern" : "name", name->text);
}

void
ciliumpol_peer_texts(struct arena *arena, const struct ciliumpol *cp, const struct cilium_rule *rule,
	struct vec *out)
{
	for (size_t i = 0; i < rule->endpoints.len; i++)
		vec_push(arena, out, (void *)cilium_endpoints_text(arena, cp, vec_at(&rule->endpoints, i)));
	for (size_t i = 0; i < rule->cidrs.len; i++)
		vec_push(arena, out, (void *)cilium_cidr_text(arena, vec_at(&rule->cidrs, i)));
	if (rule->entities)
		vec_push(arena, out, (void *)cilium_entities_text(arena, rule->entities));
	for (size_t i = 0; i < rule->fqdns.len; i++)
		vec_push(arena, out, (void *)cilium_name_text(arena, vec_at(&rule->fqdns, i)));
	for (size_t i = 0; i < rule->services.len; i++) {
		const struct cilium_service *svc = vec_at(&rule->services, i);
		vec_push(arena, out, svc->name ? arena_printf(arena, "Service %s/%s", svc->ns, svc->name)
			: arena_printf(arena, "Services %s in namespace %s", selector_text(arena, &svc->selector), svc->ns));
	}
	if (rule->unmodelled_peer)
		vec_push(arena, out, "groups, nodes or requirements");
}

static const char *
cilium_port_text(struct arena *arena, const struct cilium_port *port)
{
	const char *proto = port->proto_any ? "any protocol" : net_proto_name(port->proto);
	if (port->name)
		return arena_printf(arena, "%s port named %s", proto, port->name);
	if (port->port == 0)
		return port->proto_any ? "every port" : arena_printf(arena, "every %s port", proto);
	if (port->end)
		return arena_printf(arena, "%s %d-%d", proto, port->port, port->end);
	return arena_printf(arena, "%s %d", proto, port->port);
}

void
ciliumpol_port_texts(struct arena *arena, const struct cilium_rule *rule, struct vec *out)
{
	for (size_t i = 0; i < rule->port_rules.len; i++) {
		const struct cilium_port_rule *ports = vec_at(&rule->port_rules, i);
		const char *l7 = ports->dns.len ? arena_printf(arena, " (DNS %s)", joined(arena, &ports->dns, cilium_name_text))
			: ports->l7 ? " (L7 rules)" : "";
		if (ports->ports.len == 0)
			vec_push(arena, out, arena_printf(arena, "every port%s", l7));
		for (size_t j = 0; j < ports->ports.len; j++)
			vec_push(arena, out, arena_printf(arena, "%s%s", cilium_port_text(arena, vec_at(&ports->ports, j)), l7));
	}
}

int
catalog_service_port(const struct service *service, enum net_proto proto, int number, const char *name)
{
	for (size_t i = 0; i < service->ports.len; i++) {
		const struct service_port *sp = vec_at(&service->ports, i);
		if (sp->proto != proto)
			continue;
		/* a targetPort by name reaches whatever number the pods give the
		 * name: it is not known to be this one */
		if (name ? sp->target_name && strcmp(sp->target_name, name) == 0 : sp->target_port == number)
			return sp->port;
	}
	return 0;
}

const struct service *
catalog_service_for(const struct catalog *catalog, const char *ns, const struct label *labels, size_t count,
	enum net_proto proto, int number, const char *name)
{
	for (size_t i = 0; i < catalog->services.len; i++) {
		const struct service *service = vec_at(&catalog->services, i);
		if (strcmp(service->ns, ns) == 0 && service->has_selector
			&& selector_matches(&service->selector, labels, count)
			&& catalog_service_port(service, proto, number, name))
			return service;
	}
	return NULL;
}
