#ifndef VENDORC_IR_H
#define VENDORC_IR_H

/* The resolved project: per vendor, the flows its file grants, with every
 * name turned into namespaces, selectors, ports and CIDRs, plus the
 * namespaces kept default-deny. Backends read only this. */

#include "vendorc/arena.h"
#include "vendorc/net.h"
#include "vendorc/selector.h"
#include "vendorc/source.h"

#include <stdbool.h>
#include <stdint.h>

/* The pods of namespace ns that match pods. */
struct ir_pods {
	const char *ns;
	struct selector pods;
};

/* One port: a number, a range (end > port) or a name; never two of them. */
struct ir_port {
	enum net_proto proto;
	int port;
	int end;
	const char *name;
};

enum ir_direction {
	IR_EGRESS,  /* the vendor's pods connect to the peer */
	IR_INGRESS, /* the peer connects to the vendor's pods */
};

enum ir_peer_kind {
	IR_PEER_PODS,   /* pods in the cluster */
	IR_PEER_CIDR,   /* addresses: ranges, Service endpoints, DNS addresses */
	IR_PEER_DOMAIN, /* a host name; cidrs holds what the lock gives it */
};

struct ir_flow {
	enum ir_direction dir;
	enum ir_peer_kind kind;
	struct ir_pods pods;       /* IR_PEER_PODS */
	struct vec cidrs;          /* struct net_cidr *, sorted, unique; may share the catalog's
	                            * or the lock's storage, so never changed in place (vendors
	                            * resolve on several threads) */
	const char *domain;        /* IR_PEER_DOMAIN, lower case */
	bool dns;                  /* the DNS access docs/semantics.md 3.2 adds */
	const char *service_host;  /* IR_PEER_CIDR egress to a Service without a selector:
	                            * NAME.NS.svc, its DNS name but the cluster domain */
	struct vec ports;          /* struct ir_port *, sorted, unique */
	/* IR_PEER_PODS: the selectors (within pods.ns) of the peer pods that
	 * policies already isolate in the opposite direction, each the peer's
	 * selector combined with one isolating policy's; none subsumes another.
	 * Each needs a grant on the peer's side for the flow to work. */
	struct vec peer_isolated;  /* struct selector * */
	struct loc loc;            /* the statement that grants it */
	const char *origin;        /* the statement as written, for people */
	const char *peer_written;  /* its peer as written: NS/SVC, the namespace of `allow pods`, the
	                            * domain, range or address; NULL for DNS */
	bool names_service;        /* peer_written is a Service (allow service, allow from service) */
};

/* ---- the admin tier (docs/admin-tier.md): ClusterNetworkPolicies ---- */

enum ir_cnp_action { IR_CNP_PASS, IR_CNP_DENY, IR_CNP_ACCEPT };

enum ir_cnp_peer_kind {
	IR_CNP_PODS,       /* pods matching pods in namespaces matching namespaces */
	IR_CNP_NAMESPACES, /* every pod of the namespaces matching namespaces */
	IR_CNP_NETWORKS,   /* addresses (egress only) */
	IR_CNP_DOMAINS,    /* names (egress, Accept, experimental channel only) */
};

struct ir_cnp_peer {
	enum ir_cnp_peer_kind kind;
	struct selector namespaces;
	struct selector pods;
	struct vec networks;       /* struct net_cidr *, at most 25 */
	struct vec domains;        /* const char *, at most 25 */
};

/* A rule as the API orders it: the first that matches decides. */
struct ir_cnp_rule {
	const char *name;          /* at most 100 bytes: where the grant is written */
	enum ir_cnp_action action;
	struct vec peers;          /* struct ir_cnp_peer *, 1 to 25 */
	struct vec ports;          /* struct ir_port *, at most 25; empty: every port */
};

/* One ClusterNetworkPolicy of the Admin tier. */
struct ir_cnp {
	const char *name;
	int priority;
	bool subject_pods;         /* subject.pods, else subject.namespaces */
	struct selector subject_namespaces;
	struct selector subject_pod_selector;
	struct vec ingress;        /* struct ir_cnp_rule *, at most 25 */
	struct vec egress;
	struct vec grants;         /* const char *: what it carries, for the annotation */
};

struct ir_vendor {
	const char *name;
	const char *source;        /* the vendor file, relative to the project */
	const char *owner;         /* NULL when not given */
	const char *ticket;
	const char *justification; /* why the vendor has this access (PCI DSS 1.2.5) */
	const char *reviewed;      /* the last review as written, a date or a time; NULL: never */
	int64_t reviewed_at;       /* with reviewed: its instant (when.h), never after now */
	int64_t review_due;        /* with reviewed: reviewed_at + the project's review-interval */
	const char *expires;       /* as written: a date, a time or "never" */
	bool never_expires;
	int64_t ends_at;           /* access ends at this instant (when.h) */
	bool expired;
	struct ir_pods pods;
	struct loc loc;            /* the `runs in` statement */
	struct vec flows;          /* struct ir_flow *, empty when expired */
	struct vec ceiling;        /* struct ir_cnp *: enforce admin, else empty */
};

/* A default-denied namespace's admin-tier ceiling. */
struct ir_namespace_ceiling {
	const char *ns;
	struct vec cnps;           /* struct ir_cnp * */
};

struct ir {
	struct vec vendors;        /* struct ir_vendor *, sorted by name */
	struct vec denied_namespaces; /* const char *, sorted, unique */
	bool admin;                /* enforce: admin: the ceilings are in force */
	const char *cluster_domain; /* dns.cluster-domain, for the Services' DNS names */
	struct vec ceilings;       /* struct ir_namespace_ceiling *, as denied_namespaces; enforce
	                            * admin, else empty */
};

int ir_port_compare(const struct ir_port *a, const struct ir_port *b);
/* "TCP 8080-8090", "UDP 53", "TCP port \"metrics\"": as explain and the
 * report name a port. */
const char *ir_port_text(struct arena *arena, const struct ir_port *port);
/* The vendor still has access, and it ends within `within` of now: what
 * `expiring` and the report call expiring. */
bool ir_vendor_ends_within(const struct ir_vendor *vendor, int64_t now, int64_t within);
/* When the vendor's access ends, as every command prints it: "until
 * 2027-04-01T00:00:00Z", "expired at ...", "never expires". The instant is
 * ends_at, not the date as written, so graph, explain, expiring and the
 * warnings name the same moment. */
const char *ir_vendor_access_text(struct arena *arena, const struct ir_vendor *vendor);
/* The vendor has access and its last review is older than the project's
 * review-interval at now. A vendor without `reviewed` is never overdue:
 * the reports list it as never reviewed, and projects that do not record
 * reviews draw no warning. */
bool ir_vendor_review_overdue(const struct ir_vendor *vendor, int64_t now);
/* When the next review falls due, marked " (overdue)" while it is;
 * NULL for a vendor never reviewed. */
const char *ir_vendor_review_due_text(struct arena *arena, const struct ir_vendor *vendor, int64_t now);
/* The vendor called name, or NULL. */
const struct ir_vendor *ir_vendor_named(const struct ir *ir, const char *name);

#endif
