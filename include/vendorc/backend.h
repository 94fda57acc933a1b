#ifndef VENDORC_BACKEND_H
#define VENDORC_BACKEND_H

/* Backends turn the IR into the files of the output directory. They read
 * only the IR and report only internal failures. */

#include "vendorc/arena.h"
#include "vendorc/ir.h"

#include <stdbool.h>
#include <stddef.h>

struct diag_set;
struct emit;

/* One file of the output directory, held in memory until it is written. */
struct backend_file {
	const char *name;  /* a plain file name: no directory part */
	const char *data;  /* NUL-terminated at len (not while a sink looks at it); NULL once
	                    * a sink took it without a copy */
	size_t len;
	bool failed;       /* emitting it failed (a bug): no data */
};

/* Where each file goes as soon as it is made, on the thread that made it:
 * compile writes or compares it there and then, so the bytes of twenty
 * thousand files are not all held at once. take sees the emitter's bytes,
 * which last only for the call, and answers whether the file must keep a
 * copy of them. Without a sink, every file keeps its data. */
struct backend_sink {
	bool (*take)(void *context, const struct backend_file *file);
	void *context;
};

/* Appends struct backend_file *: the namespace and vendor files in name
 * order, then kustomization.yaml listing them. */
bool backend_networkpolicy(struct arena *arena, struct diag_set *diags, const struct ir *ir,
	const struct backend_sink *sink, struct vec *files);

/* The same files and the same flows as cilium.io/v2 CiliumNetworkPolicies:
 * one policy per vendor (its egress and ingress), domains as toFQDNs with a
 * DNS rule limited to the names the vendor needs, and the peer-side grants
 * of docs/semantics.md 3.4. The namespace files stay standard NetworkPolicy default-deny,
 * the same as backend_networkpolicy's. */
bool backend_cilium(struct arena *arena, struct diag_set *diags, const struct ir *ir,
	const struct backend_sink *sink, struct vec *files);

/* ---- shared by the backends (src/backend.c) ---- */

/* A peer as a rule names it: pods of a namespace, a range or a host name;
 * exactly one of the three is set. */
struct backend_peer {
	const struct ir_pods *pods;
	const struct net_cidr *cidr;
	const char *domain;
};

/* An allow rule: any of its peers, on any of its ports. Both vectors sorted
 * and unique. */
struct backend_rule {
	struct vec peers; /* struct backend_peer * */
	struct vec ports; /* struct ir_port * */
};

/* One policy object: the pods it selects in ns, and its rules in one
 * direction. */
struct backend_policy {
	const char *name;
	const char *ns;
	const struct selector *pods;
	enum ir_direction dir;      /* the one direction it covers */
	struct vec rules;           /* struct backend_rule * */
	struct vec grants;          /* const char *: the statements it serves */
	const struct ir_vendor *vendor;
};

/* Orders peers: pods (by namespace, then selector), then ranges, then
 * host names. */
int backend_peer_compare(const struct backend_peer *a, const struct backend_peer *b);

/* Appends a rule of one peer on ports (copied) to rules. */
void backend_add_rule(struct arena *arena, struct vec *rules, const struct backend_peer *peer,
	const struct vec *ports);

/* Groups rules of one peer each: rules to the same peer unite their ports,
 * then rules on the same ports unite their peers (only peers of one kind
 * when kinds_apart), so exactly the same (peer, port) pairs are allowed.
 * The result is sorted by first peer, then ports. */
struct vec backend_group_rules(struct arena *arena, struct vec *rules, bool kinds_apart);

struct backend_policy *backend_policy_new(struct arena *arena, const struct ir_vendor *vendor,
	const char *name, const char *ns, const struct selector *pods, enum ir_direction dir);

/* docs/semantics.md 3.4: for each isolated selector on the peer's side of the vendor's
 * flows, a policy named vendorc-VENDOR-peer-HASH (the hash over namespace,
 * selector and direction) that selects exactly it and has one rule: the
 * vendor's pods, on the union of the ports of the flows it serves. Appended
 * to out sorted by namespace, then name. */
void backend_peer_policies(struct arena *arena, const struct ir_vendor *vendor, struct vec *out);

/* A selector under key (or, with key NULL, as a sequence item):
 * matchLabels then matchExpressions, each in the selector's order (an empty
 * selector is {}). */
void backend_emit_selector(struct emit *e, const char *key, const struct selector *sel);

/* Opens a document and its top mapping, writes apiVersion, kind and the
 * metadata: name, namespace, labels (managed-by, and the vendor's name when
 * vendor is set) and, for a vendor's object, the annotations (grants when
 * any). The caller writes the spec and closes with backend_emit_object_end. */
void backend_emit_object_begin(struct arena *arena, struct emit *e, const char *api_version,
	const char *kind, const char *name, const char *ns, const struct ir_vendor *vendor,
	const struct vec *grants);
void backend_emit_object_end(struct emit *e);

/* enforce admin (docs/admin-tier.md): the ClusterNetworkPolicies (struct
 * ir_cnp *) of a vendor's or (vendor NULL) a namespace's ceiling, as
 * documents of e. Every backend writes them after its own policies. */
void backend_emit_ceiling(struct arena *arena, struct emit *e, const struct vec *cnps,
	const struct ir_vendor *vendor);

/* What the file jobs of a backend read: the IR, and where files go. */
struct backend_pass {
	const struct ir *ir;
	const struct backend_sink *sink; /* NULL: none */
};
/* Finishes e (NULL: a failed emit_create) into a file called name, which
 * goes to sink; failed is set when emitting failed. Safe in a parallel
 * job. */
struct backend_file *backend_file_finish(struct arena *arena, const struct backend_sink *sink,
	struct emit *e, const char *name);
/* The same, appended to files; false, with an internal-error diagnostic,
 * on failure. */
bool backend_finish_file(struct arena *arena, struct diag_set *diags,
	const struct backend_sink *sink, struct emit *e, const char *name, struct vec *files);
/* One file (or NULL: none) for index, made on any thread (parallel.h): the
 * file and its name in arena, what it is made from (policies, rules, texts
 * emitted) in scratch, which is emptied once the file is made. */
typedef struct backend_file *backend_file_job(const struct backend_pass *pass, size_t index,
	struct arena *arena, struct arena *scratch);
/* Makes the files of indexes below count on every core, and appends them
 * to files in index order. */
bool backend_parallel_files(struct arena *arena, struct diag_set *diags, size_t count,
	backend_file_job *make, const struct backend_pass *pass, struct vec *files);
/* namespace-NS.yaml, a NetworkPolicy default-deny (ingress and egress), for
 * each of the IR's denied namespaces, in name order. */
bool backend_namespace_files(struct arena *arena, struct diag_set *diags,
	const struct backend_pass *pass, struct vec *files);

/* kustomization.yaml listing the files from index first on. */
bool backend_kustomization(struct arena *arena, struct diag_set *diags,
	const struct backend_sink *sink, struct vec *files, size_t first);

#endif
