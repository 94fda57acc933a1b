#ifndef VENDORC_CATALOG_H
#define VENDORC_CATALOG_H

/* The cluster as the catalog manifests describe it: Services with their
 * ports and endpoints, and the NetworkPolicies already in place. */

#include "vendorc/arena.h"
#include "vendorc/net.h"
#include "vendorc/selector.h"
#include "vendorc/source.h"

#include <stdbool.h>

struct diag_set;
struct project;
struct ynode;

struct service_port {
	const char *name;        /* NULL when unnamed */
	int port;
	enum net_proto proto;
	int target_port;         /* 0 when the target is by name */
	const char *target_name; /* NULL when the target is a number */
};

struct endpoint_port {
	const char *name;        /* NULL when unnamed */
	int port;
	enum net_proto proto;
};

/* Endpoints that share their ports: one Endpoints subset or one
 * EndpointSlice. Each address serves exactly the ports of its group. */
struct endpoint_group {
	struct vec addresses;     /* struct net_cidr *, /32 or /128, sorted, unique */
	struct vec ports;         /* struct endpoint_port *, sorted, unique */
};

struct service {
	const char *ns;
	const char *name;
	struct loc loc;
	bool has_selector;        /* false: resolves through endpoints */
	bool has_cluster_ip;      /* spec.clusterIP, unless headless ("None") */
	struct net_cidr cluster_ip;
	struct selector selector;
	struct vec ports;         /* struct service_port * */
	struct vec endpoints;     /* struct endpoint_group *, none empty, in catalog order */
};

/* A NetworkPolicy peer: exactly one of (pods, namespaces or both) or cidr. */
struct netpol_peer {
	bool has_pod_selector;
	struct selector pod_selector;
	bool has_namespace_selector;
	struct selector namespace_selector;
	bool has_cidr;
	struct net_cidr cidr;
	struct vec except;        /* struct net_cidr * */
	struct loc loc;           /* the peer's mapping */
};

struct netpol_port {
	bool has_proto_only;      /* no port: every port of the protocol */
	enum net_proto proto;
	int port;                 /* 0 when named or absent */
	const char *port_name;
	int end_port;             /* 0 when not a range */
};

/* An empty peers vector allows every peer, an empty ports vector every port. */
struct netpol_rule {
	struct vec peers;         /* struct netpol_peer * */
	struct vec ports;         /* struct netpol_port * */
	struct loc loc;           /* the rule's mapping */
};

struct netpol {
	const char *ns;
	const char *name;
	struct loc loc;
	struct selector pod_selector;
	bool ingress;             /* effective policyTypes, defaults applied */
	bool egress;
	struct vec ingress_rules; /* struct netpol_rule * */
	struct vec egress_rules;
};

/* ---- ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) ----
 * The admin tier (docs/admin-tier.md). Every field the standard and
 * experimental channels define is modelled, so a catalog policy is judged
 * by what it says, not by what vendorc would have written. */

enum clusterpol_tier { CLUSTERPOL_ADMIN, CLUSTERPOL_BASELINE };
enum clusterpol_action { CLUSTERPOL_ACCEPT, CLUSTERPOL_DENY, CLUSTERPOL_PASS };

enum clusterpol_peer_kind {
	CLUSTERPOL_PEER_NAMESPACES, /* every pod of the namespaces matching namespaces */
	CLUSTERPOL_PEER_PODS,       /* pods matching pods within namespaces matching namespaces */
	CLUSTERPOL_PEER_NETWORKS,   /* egress only: addresses in networks (pods' too) */
	CLUSTERPOL_PEER_DOMAINS,    /* egress, experimental: names (judged by the lock) */
	CLUSTERPOL_PEER_NODES,      /* egress, experimental: node addresses (not modelled) */
};

struct clusterpol_peer {
	enum clusterpol_peer_kind kind;
	struct selector namespaces; /* NAMESPACES, PODS */
	struct selector pods;       /* PODS */
	struct vec networks;        /* struct net_cidr *, NETWORKS */
	struct vec domains;         /* const char *, lower case, DOMAINS */
	struct selector nodes;      /* NODES (kept; matches nothing in the evaluator) */
	struct loc loc;
};

/* One entry of protocols: a protocol's port or range (end > port; port 0
 * with end 0: every port of it, which the API cannot say but a reader of
 * an older object may meet), or a destination named port (any protocol). */
struct clusterpol_port {
	enum net_proto proto;
	int port;
	int end;
	const char *name;           /* destinationNamedPort; proto then unused */
};

/* A rule: its action on connections to or from any of peers on any of
 * ports (empty: every port). */
struct clusterpol_rule {
	const char *name;           /* NULL when not given */
	enum clusterpol_action action;
	struct vec peers;           /* struct clusterpol_peer * */
	struct vec ports;           /* struct clusterpol_port * */
	size_t index;               /* its place in spec.ingress or spec.egress */
	struct loc loc;
};

struct clusterpol {
	const char *name;           /* cluster-scoped: no namespace */
	struct loc loc;
	enum clusterpol_tier tier;
	int priority;               /* 0-1000, lower first */
	bool subject_pods;          /* subject.pods, else subject.namespaces */
	struct selector subject_namespaces;
	struct selector subject_pod_selector;
	struct vec ingress_rules;   /* struct clusterpol_rule *, in order */
	struct vec egress_rules;
};

/* Orders policies as a tier evaluates them: tier, priority, then name. */
int clusterpol_compare(const void *a, const void *b);

/* The one namespace the subject is confined to (its namespace selector is
 * only kubernetes.io/metadata.name), or NULL. */
const char *clusterpol_subject_namespace(const struct clusterpol *cp);

/* What a ClusterNetworkPolicy applies to, a peer and a protocols entry, as
 * plan prints them ("pods app=x in namespace billing (Admin tier, priority
 * 60)", "all pods in every namespace", "TCP 8080-8090", "port named http"). */
const char *clusterpol_subject_text(struct arena *arena, const struct clusterpol *cp);
const char *clusterpol_peer_text(struct arena *arena, const struct clusterpol_peer *peer);
const char *clusterpol_port_text(struct arena *arena, const struct clusterpol_port *port);

/* A ClusterNetworkPolicy object (already known to be one) as the model
 * above; NULL and a diagnostic when malformed. */
struct clusterpol *catalog_read_clusterpol(struct arena *arena, struct diag_set *diags,
	const struct ynode *object);

/* ---- CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy (cilium.io/v2) ----
 * Cilium's own policies, as a catalog holds them and the cilium backend
 * writes them, for the evaluator that proves that backend. Selector keys
 * lose Cilium's source prefix ("k8s:", "any:"), so that they read as the
 * labels the evaluator gives a pod: its own, io.kubernetes.pod.namespace,
 * and io.cilium.k8s.namespace.labels.KEY for each label of its namespace. */

enum cilium_entity {
	CILIUM_ENTITY_WORLD = 1 << 0,       /* outside the cluster (world, world-ipv4/6) */
	CILIUM_ENTITY_CLUSTER = 1 << 1,     /* every pod and node of the cluster */
	CILIUM_ENTITY_HOST = 1 << 2,
	CILIUM_ENTITY_REMOTE_NODE = 1 << 3,
	CILIUM_ENTITY_KUBE_APISERVER = 1 << 4,
	CILIUM_ENTITY_OTHER = 1 << 5,       /* health, init, ingress, unmanaged */
	CILIUM_ENTITY_ALL = (1 << 6) - 1,
};

/* A toCIDR, or a toCIDRSet item (except given; a cidrGroupRef cannot be
 * judged: group_ref names it, and the peer matches nothing). */
struct cilium_cidr {
	struct net_cidr cidr;
	struct vec except;          /* struct net_cidr * */
	const char *group_ref;
};

/* A toFQDNs entry or a DNS rule: matchName, or matchPattern ("*" within a
 * label as Cilium reads it). */
struct cilium_name {
	const char *text;           /* lower case, no trailing dot */
	bool pattern;
};

/* One entry of toPorts[].ports: port 0 is every port; proto_any is
 * protocol ANY (or none given). */
struct cilium_port {
	enum net_proto proto;
	bool proto_any;
	int port;
	int end;
	const char *name;           /* a named port */
};

/* A toPorts item: its ports, and its L7 rules. DNS rules are kept; other L7
 * rules (http, kafka, l7proto) filter requests on a connection they allow,
 * which the evaluator, judging connections, counts as allowed (l7). */
struct cilium_port_rule {
	struct vec ports;           /* struct cilium_port *; empty: every port */
	struct vec dns;             /* struct cilium_name * */
	bool l7;
};

/* One ingress, egress, ingressDeny or egressDeny rule. Peers of different
 * kinds in one rule add up; a rule with no peer at all (none given, or
 * only empty lists) matches every peer on its ports (has_peers false). */
struct cilium_rule {
	bool has_peers;
	struct vec endpoints;       /* struct selector *: fromEndpoints, toEndpoints */
	struct vec cidrs;           /* struct cilium_cidr * */
	unsigned entities;          /* enum cilium_entity bits */
	struct vec fqdns;           /* struct cilium_name *, egress */
	struct vec services;        /* struct cilium_service *, egress */
	bool unmodelled_peer;       /* toGroups, toNodes, fromNodes, toRequires, fromRequires */
	struct vec port_rules;      /* struct cilium_port_rule *; empty: every port */
	struct loc loc;
};

/* toServices: a Service by name (the policy's namespace when none), or by
 * label selector. */
struct cilium_service {
	const char *ns;
	const char *name;           /* NULL: by selector */
	struct selector selector;
};

/* One rule of spec or specs[]: an object with specs yields one per item. */
struct ciliumpol {
	const char *ns;             /* NULL: CiliumClusterwideNetworkPolicy */
	const char *name;
	size_t index;               /* its place in specs; 0 for spec */
	struct loc loc;
	bool node_selector;         /* selects nodes, not pods: no pod is selected */
	struct selector endpoints;  /* endpointSelector */
	struct vec ingress;         /* struct cilium_rule * */
	struct vec egress;
	struct vec ingress_deny;
	struct vec egress_deny;
	bool default_deny_ingress;  /* enableDefaultDeny, defaults applied */
	bool default_deny_egress;
};

/* The label Cilium gives every pod for its namespace, and the prefix of
 * those it gives it for each label of its namespace. */
extern const char cilium_namespace_label[];
extern const char cilium_namespace_labels_prefix[];

/* The one namespace an endpoint selector of cp (its endpointSelector, or
 * a selector of its rules) confines pods to: the io.kubernetes.pod.namespace
 * it names, or a namespaced policy's own when it says nothing of the
 * label; NULL when it may be any. */
const char *ciliumpol_endpoint_namespace(const struct ciliumpol *cp, const struct selector *sel);

/* What a Cilium rule selects, and the texts of a rule's peers and ports,
 * as plan prints them ("pods app=x in namespace billing", "entities world",
 * "name api.acme.io", "10.0.0.0/8 except 10.1.0.0/16"; "TCP 443 (DNS
 * *.acme.io)", "any protocol 53", "every port"), pushed onto out. */
const char *ciliumpol_subject_text(struct arena *arena, const struct ciliumpol *cp);
/* Orders rules as the catalog holds them: namespace (clusterwide first),
 * name, place in specs. */
int ciliumpol_compare(const void *a, const void *b);
void ciliumpol_peer_texts(struct arena *arena, const struct ciliumpol *cp, const struct cilium_rule *rule,
	struct vec *out);
void ciliumpol_port_texts(struct arena *arena, const struct cilium_rule *rule, struct vec *out);

/* A CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy object (already
 * known to be one) as its rules (struct ciliumpol *, pushed onto out);
 * false and a diagnostic when malformed. */
bool catalog_read_ciliumpol(struct arena *arena, struct diag_set *diags, const struct ynode *object,
	struct vec *out);

/* A Namespace object: its labels, which namespaceSelectors match. */
struct catalog_namespace {
	const char *name;
	struct label *labels;
	size_t label_count;
	struct loc loc;
};

/* Pods as the catalog shows them: a Pod, or the pod template of a
 * workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob). */
struct workload {
	const char *kind;
	const char *ns;
	const char *name;
	struct label *labels;
	size_t label_count;
	struct vec ports;         /* struct container_port *, of every container */
	struct loc loc;
};

/* A port a container declares (informational in Kubernetes: a pod may
 * listen on others, so it only ever raises a warning). */
struct container_port {
	int number;
	enum net_proto proto;
	const char *name;         /* NULL when unnamed */
};

struct catalog {
	struct vec services;      /* struct service *, sorted by ns then name */
	struct vec netpols;       /* struct netpol *, sorted by ns then name */
	struct vec clusterpols;   /* struct clusterpol *, by clusterpol_compare */
	struct vec ciliumpols;    /* struct ciliumpol *, by namespace ("" clusterwide), name, index */
	struct vec namespaces;    /* struct catalog_namespace *, sorted by name */
	struct vec workloads;     /* struct workload *, sorted by ns, name, kind */
	struct vec sources;       /* struct source * of the files read */
};

/* The Service port that reaches its pods' port (by number, or by name
 * when name is set) in proto; 0 for none. A targetPort by name is reached
 * by that name alone. */
int catalog_service_port(const struct service *service, enum net_proto proto, int number, const char *name);
/* A Service of ns with a selector that selects pods with labels and
 * reaches them on that port; NULL when none does. */
const struct service *catalog_service_for(const struct catalog *catalog, const char *ns, const struct label *labels,
	size_t count, enum net_proto proto, int number, const char *name);

/* The names of manifest files, which a directory of the catalog (or a
 * dump that check --verify reads) holds. */
enum { CATALOG_FILE_SUFFIXES = 3 };
extern const char *const catalog_file_suffixes[CATALOG_FILE_SUFFIXES];

/* Reads every catalog path of the project (directories recursively, files
 * ending .yaml, .yml or .json, in sorted order). Returns NULL on errors. */
struct catalog *catalog_load(struct arena *arena, struct diag_set *diags,
	const struct project *project);

/* The same from sources already in memory (struct source *), in order. */
struct catalog *catalog_from_sources(struct arena *arena, struct diag_set *diags,
	const struct vec *sources);

/* A NetworkPolicy object (already known to be one) as the model above;
 * NULL and a diagnostic when malformed. Shared with the evaluator. */
struct netpol *catalog_read_netpol(struct arena *arena, struct diag_set *diags,
	const struct ynode *object);

/* Appends the objects of a YAML document (const struct ynode *): the
 * document itself, or the items of a List, as kubectl get -o yaml prints
 * them; true for a List. */
bool catalog_document_objects(struct arena *arena, struct diag_set *diags, const struct ynode *doc,
	struct vec *objects);
/* Whether an object is vendorc's own output: labelled
 * app.kubernetes.io/managed-by: vendorc, or with a vendorc.io/ label or
 * annotation. A catalog that is a dump of the cluster skips these. */
bool catalog_is_ours(const struct ynode *object);

/* Policies in the catalog's order, by namespace and then name; and the
 * range [*first, *end) of namespace ns in a vector sorted so. */
int netpol_compare(const void *a, const void *b);
void netpol_range(const struct vec *sorted, const char *ns, size_t *first, size_t *end);

/* The namespace a peer of np's rules is confined to (np's own for a
 * podSelector alone, the one a namespaceSelector names by
 * kubernetes.io/metadata.name alone); NULL for anything wider or an
 * ipBlock. */
const char *netpol_peer_namespace(const struct netpol *np, const struct netpol_peer *peer);

/* A peer and a port as people read them: "pods app=db in namespace
 * billing", "TCP 5432". */
const char *netpol_peer_text(struct arena *arena, const struct netpol_peer *peer,
	const char *policy_ns);
const char *netpol_port_text(struct arena *arena, const struct netpol_port *port);

/* Appends the names, sorted and unique, of the namespaces the catalog
 * knows: its Namespace objects and those its Services, workloads and
 * NetworkPolicies are in. */
void catalog_known_namespaces(struct arena *arena, const struct catalog *catalog,
	struct vec *names);

const struct service *catalog_service(const struct catalog *catalog,
	const char *ns, const char *name);

/* The Service whose ClusterIP is addr (a host address), or NULL. */
const struct service *catalog_service_at(const struct catalog *catalog,
	const struct net_cidr *addr);

#endif
