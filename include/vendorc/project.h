#ifndef VENDORC_PROJECT_H
#define VENDORC_PROJECT_H

/* vendorc.yaml: where the vendor files, catalog, lock file and output are,
 * and the cluster facts the compilation needs (docs/semantics.md section 2). */

#include "vendorc/net.h"
#include "vendorc/selector.h"
#include "vendorc/source.h"

#include <stdbool.h>
#include <stdint.h>

#include "vendorc/arena.h"

struct diag_set;

/* A path named by the project. fs is what to open (relative paths joined to
 * the project file's directory); display is how diagnostics show it:
 * relative to that directory, or with --paths=cwd relative to the working
 * directory (docs/semantics.md section 5). */
struct project_path {
	const char *fs;
	const char *display;
	struct loc loc; /* where the project file names it */
};

struct project_name {
	const char *name;
	struct loc loc;
};

struct project_cidr {
	struct net_cidr cidr;
	struct loc loc;
};

/* A DNS server `vendorc lock` asks (lock-resolvers): an address and a
 * port, as written ("10.0.0.53", "10.0.0.53:5353", "[fd00::53]:53"). */
struct project_resolver {
	const char *text;
	struct net_cidr addr;           /* a host: /32 or /128 */
	uint16_t port;
	struct loc loc;
};

enum project_backend { PROJECT_BACKEND_NETWORKPOLICY, PROJECT_BACKEND_CILIUM };

/* Who has the last word on a vendor's access: its NetworkPolicies alone,
 * or also an admin-tier ceiling of ClusterNetworkPolicies that no
 * NetworkPolicy can widen (docs/admin-tier.md). */
enum project_enforce { PROJECT_ENFORCE_NAMESPACE, PROJECT_ENFORCE_ADMIN };
/* The network-policy-api CRD channel the cluster runs. */
enum project_channel { PROJECT_CHANNEL_STANDARD, PROJECT_CHANNEL_EXPERIMENTAL };

/* The admin tier's priorities vendorc may use, first to last. */
struct project_band {
	int first;
	int last;
	struct loc loc;
};
enum { PROJECT_ADMIN_MIN_BAND = 5 };

struct project {
	const struct source *src;
	const char *dir;                /* the project file's directory (fs) */
	const char *cwd;                /* --paths=cwd: the working directory, else NULL */
	struct project_path vendors;
	struct project_path output;
	struct vec catalog;             /* struct project_path * */
	struct project_path lock;
	bool lock_named;                /* false: the default, may be absent */
	enum project_backend backend;
	struct loc backend_loc;         /* the value, where given */
	enum project_enforce enforce;
	enum project_channel admin_channel;
	struct project_band admin_priorities;
	struct project_name dns_namespace;
	struct selector dns_pods;
	struct vec dns_addresses;       /* struct project_cidr * */
	const char *cluster_domain;     /* dns.cluster-domain: Services are NAME.NS.svc.DOMAIN */
	struct vec isolate;             /* struct project_name *, as written */
	struct vec cluster_cidrs;       /* struct project_cidr * */
	struct vec lock_resolvers;      /* struct project_resolver *; empty: the machine's */
	const char *probe_image;        /* the probe kit's image (docs/probe.md) */
	int64_t expiry_warning;         /* nanoseconds, as instants (when.h) */
	int64_t review_interval;        /* how long a `reviewed` date stays current */
	/* A fleet (docs/fleet.md): one vendors directory, many clusters. The
	 * project file's clusters, each a project of its own whose keys
	 * default to the top's; empty when the file has no `clusters`. */
	struct vec clusters;            /* struct project * */
	const struct project *fleet;    /* a cluster's: the project it is one of */
	struct project_name cluster;    /* a cluster's name (NULL name: not a cluster) */
	struct label *cluster_labels;   /* a cluster's labels, for `clusters where` */
	size_t cluster_label_count;
};

/* How diagnostics name files: as the SPEC has it, relative to the project
 * file's directory, or as compilers do, relative to the working directory. */
enum project_paths { PROJECT_PATHS_FROM_PROJECT, PROJECT_PATHS_FROM_CWD };

/* Loads the project file at path (NULL: ./vendorc.yaml). Reports every
 * problem (unknown key, bad value, missing key, missing path, an output
 * that is a regular file) and returns NULL when there was any. */
struct project *project_load(struct arena *arena, struct diag_set *diags, const char *path,
	enum project_paths paths);

/* The same from a source in memory; fs_path places the project (relative
 * paths in it are relative to its directory). */
struct project *project_parse(struct arena *arena, struct diag_set *diags,
	const struct source *src, const char *fs_path, enum project_paths paths);

/* A file's display path as seen from the project file's directory, whatever
 * --paths says: what the output records (vendorc.io/source), so that it does
 * not depend on where compile ran. */
const char *project_relative(struct arena *arena, const struct project *project,
	const char *display);

/* The fs path of the vendors directory the project file at fs_path names,
 * read from that file alone and nothing checked; NULL when it names none.
 * For a project out of a git tree, where a vendors directory whose last
 * file went is no directory at all (git keeps none empty). */
const char *project_vendors_named(struct arena *arena, const char *fs_path);

/* A fleet's cluster of that name, or NULL; the names of all its clusters
 * (for a did-you-mean); the projects that own an output tree: a fleet's
 * clusters, else the project itself (pushed onto out). */
struct project *project_cluster_named(const struct project *fleet, const char *name);
const char **project_cluster_names(struct arena *arena, const struct project *fleet);
void project_trees(struct arena *arena, struct project *project, struct vec *out);

/* fs path and display path of name under a directory the project names. */
struct project_path project_child(struct arena *arena, const struct project_path *dir,
	const char *name);

#endif
