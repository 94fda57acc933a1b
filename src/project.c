#include "vendorc/project.h"
#include "vendorc/validate.h"
#include "vendorc/when.h"

#include "vendorc/diag.h"
#include "vendorc/limits.h"
#include "vendorc/path.h"
#include "vendorc/ynode.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char project_default_file[] = "vendorc.yaml";

struct project_reader {
	struct arena *arena;
	struct diag_set *diags;
	struct project *project;
	const struct ynode *clusters;   /* read after every other key: they are the clusters' defaults */
	bool in_cluster;                /* reading an entry of clusters */
};

typedef void project_read_fn(struct project_reader *r, const struct ynode *value);

/* Where a key of the project file may stand: at the top level, in an
 * entry of `clusters`, or both (the zero value). */
enum project_key_place { PROJECT_KEY_ANYWHERE, PROJECT_KEY_TOP, PROJECT_KEY_CLUSTER };

struct project_key {
	const char *name;
	project_read_fn *read;
	const char *example; /* set for required keys: the hint when missing */
	enum project_key_place place;
};

static struct diag *project_bad(struct project_reader *r, const struct ynode *node,
	const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static struct diag *
project_bad(struct project_reader *r, const struct ynode *node, const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	const char *message = arena_vprintf(r->arena, fmt, args);
	va_end(args);
	return diag_report(r->diags, DIAG_PROJECT_BAD_VALUE, &node->loc, "%s", message);
}

/* A namespace name. Kept to one function: the shared validator replaces it. */
/* dir/name without trailing slashes: "out/" on a regular file must read as
 * that file (stat of "out/" fails with ENOTDIR instead). */
static const char *
project_join(struct arena *arena, const char *dir, const char *name)
{
	size_t len = strlen(dir);
	char *joined = name[0] == '/' || len == 0 || strcmp(dir, ".") == 0
		? arena_strdup(arena, name)
		: arena_printf(arena, "%s%s%s", dir, dir[len - 1] == '/' ? "" : "/", name);
	for (size_t end = strlen(joined); end > 1 && joined[end - 1] == '/'; end--)
		joined[end - 1] = '\0';
	return joined;
}

/* "./vendors/" shows as "vendors": diagnostics quote paths the short way. */
static const char *
project_display(struct arena *arena, const char *value)
{
	while (value[0] == '.' && value[1] == '/') {
		value += 2;
		while (value[0] == '/')
			value++;
	}
	size_t len = strlen(value);
	while (len > 1 && value[len - 1] == '/')
		len--;
	return len ? arena_strndup(arena, value, len) : ".";
}

struct project_path
project_child(struct arena *arena, const struct project_path *dir, const char *name)
{
	return (struct project_path){
		.fs = project_join(arena, dir->fs, name),
		.display = project_join(arena, dir->display, name),
		.loc = dir->loc,
	};
}

static const char *
project_string(struct project_reader *r, const struct ynode *node, const char *what)
{
	const char *text = ynode_string(node);
	if (!text || !*text)
		project_bad(r, node, "%s must be a non-empty string", what);
	return text && *text ? text : NULL;
}

static bool
project_sequence(struct project_reader *r, const struct ynode *node, const char *what)
{
	if (node->kind == YNODE_SEQUENCE)
		return true;
	project_bad(r, node, "%s must be a sequence", what);
	return false;
}

static bool
project_path_value(struct project_reader *r, const struct ynode *node, const char *what,
	struct project_path *out)
{
	const char *value = project_string(r, node, what);
	if (!value)
		return false;
	out->fs = project_join(r->arena, r->project->dir, value);
	out->display = r->project->cwd ? path_from_cwd(r->arena, r->project->cwd, out->fs)
	                               : project_display(r->arena, value);
	out->loc = node->loc;
	return true;
}

/* The stat mode of a path that must exist, or 0 after reporting why not. */
static mode_t
project_existing(struct project_reader *r, const struct project_path *path, const char *what)
{
	struct stat st;
	if (stat(path->fs, &st) == 0)
		return st.st_mode;
	if (errno == ENOENT || errno == ENOTDIR)
		diag_report(r->diags, DIAG_PATH_NOT_FOUND, &path->loc, "%s \"%s\" does not exist",
			what, path->display);
	else
		diag_report(r->diags, DIAG_IO_ERROR, &path->loc, "cannot access \"%s\": %s",
			path->display, strerror(errno));
	return 0;
}

static void
project_read_vendors(struct project_reader *r, const struct ynode *value)
{
	struct project_path *path = &r->project->vendors;
	if (!project_path_value(r, value, "vendors", path))
		return;
	mode_t mode = project_existing(r, path, "vendors directory");
	if (mode && !S_ISDIR(mode))
		project_bad(r, value, "vendors \"%s\" is not a directory", path->display);
}

/* compile creates a missing output; a file in its place is an error. */
static void
project_read_output(struct project_reader *r, const struct ynode *value)
{
	struct project_path *path = &r->project->output;
	if (!project_path_value(r, value, "output", path))
		return;
	struct stat st;
	bool exists = stat(path->fs, &st) == 0;
	if ((exists && !S_ISDIR(st.st_mode)) || (!exists && errno == ENOTDIR)) {
		struct diag *d = diag_report(r->diags, DIAG_OUTPUT_NOT_DIRECTORY, &path->loc,
			exists ? "output \"%s\" is not a directory"
			       : "output \"%s\" cannot be a directory: a part of its path is a file",
			path->display);
		diag_hint(d, "compile owns a directory of generated files; name another path");
	}
}

static void
project_add_catalog_path(struct project_reader *r, const struct ynode *value)
{
	struct project_path *path = arena_alloc(r->arena, sizeof(*path));
	if (!project_path_value(r, value, "a catalog path", path))
		return;
	if (project_existing(r, path, "catalog path"))
		vec_push(r->arena, &r->project->catalog, path);
}

static void
project_read_catalog(struct project_reader *r, const struct ynode *value)
{
	/* A cluster's catalog replaces the fleet's: what is in its cluster. */
	r->project->catalog = (struct vec){ 0 };
	if (value->kind == YNODE_SCALAR) {
		project_add_catalog_path(r, value);
		return;
	}
	if (!project_sequence(r, value, "catalog"))
		return;
	for (size_t i = 0; i < value->count; i++)
		project_add_catalog_path(r, value->items[i]);
}

static void
project_read_lock(struct project_reader *r, const struct ynode *value)
{
	r->project->lock_named = true;
	/* Whether it exists is the lock file reader's question: `vendorc lock`
	 * creates it. */
	project_path_value(r, value, "lock", &r->project->lock);
}

/* The index of the value among names, or -1 after saying so (with the
 * nearest name, else all of them). */
static int
project_choice(struct project_reader *r, const struct ynode *value, const char *what,
	const char *const *names, size_t count)
{
	const char *text = project_string(r, value, what);
	if (!text)
		return -1;
	for (size_t i = 0; i < count; i++)
		if (strcmp(text, names[i]) == 0)
			return (int)i;
	struct diag *d = project_bad(r, value, "unknown %s \"%s\"", what, text);
	const char *near = diag_nearest(text, names, count);
	if (near)
		diag_hint(d, "did you mean \"%s\"?", near);
	else
		diag_hint(d, "the values of %s are \"%s\" and \"%s\"", what, names[0], names[1]);
	return -1;
}

static void
project_read_backend(struct project_reader *r, const struct ynode *value)
{
	static const char *const names[] = {
		[PROJECT_BACKEND_NETWORKPOLICY] = "networkpolicy",
		[PROJECT_BACKEND_CILIUM] = "cilium",
	};
	int chosen = project_choice(r, value, "backend", names, 2);
	if (chosen >= 0) {
		r->project->backend = (enum project_backend)chosen;
		r->project->backend_loc = value->loc;
	}
}

static void
project_read_enforce(struct project_reader *r, const struct ynode *value)
{
	static const char *const names[] = {
		[PROJECT_ENFORCE_NAMESPACE] = "namespace",
		[PROJECT_ENFORCE_ADMIN] = "admin",
	};
	int chosen = project_choice(r, value, "enforce", names, 2);
	if (chosen >= 0)
		r->project->enforce = (enum project_enforce)chosen;
}

static void
project_read_admin_channel(struct project_reader *r, const struct ynode *value)
{
	static const char *const names[] = {
		[PROJECT_CHANNEL_STANDARD] = "standard",
		[PROJECT_CHANNEL_EXPERIMENTAL] = "experimental",
	};
	int chosen = project_choice(r, value, "admin.channel", names, 2);
	if (chosen >= 0)
		r->project->admin_channel = (enum project_channel)chosen;
}

/* FROM-TO within ClusterNetworkPolicy's 0-1000, wide enough for one
 * vendor layer and the four namespace layers (docs/admin-tier.md). */
static void
project_read_admin_priorities(struct project_reader *r, const struct ynode *value)
{
	const char *text = project_string(r, value, "admin.priorities");
	int first, last, end = 0;
	if (!text)
		return;
	if (sscanf(text, "%d-%d%n", &first, &last, &end) != 2 || text[end] != '\0' || first < 0
		|| last > 1000 || first > last) {
		diag_hint(project_bad(r, value, "\"%s\" is not a priority band", text),
			"two priorities from 0 to 1000, the lower first, e.g. 60-99");
		return;
	}
	if (last - first + 1 < PROJECT_ADMIN_MIN_BAND) {
		diag_hint(project_bad(r, value, "the priority band %s holds %d priorities, fewer than the %d "
			"the admin tier needs", text, last - first + 1, PROJECT_ADMIN_MIN_BAND),
			"one for each vendor layer and four for the namespaces; e.g. 60-99");
		return;
	}
	r->project->admin_priorities = (struct project_band){ first, last, value->loc };
}

static const struct project_key project_admin_keys[] = {
	{ "channel", project_read_admin_channel, NULL, PROJECT_KEY_ANYWHERE },
	{ "priorities", project_read_admin_priorities, NULL, PROJECT_KEY_ANYWHERE },
};

static bool
project_name_value(struct project_reader *r, const struct ynode *node, struct project_name *out)
{
	const char *name = project_string(r, node, "a namespace");
	if (!name)
		return false;
	const char *why = validate_dns_label(name);
	if (why) {
		project_bad(r, node, "\"%s\" is not a valid namespace name: %s", name, why);
		return false;
	}
	*out = (struct project_name){ name, node->loc };
	return true;
}

static void
project_add_cidr(struct project_reader *r, const struct ynode *node, struct vec *out)
{
	const char *text = project_string(r, node, "a CIDR");
	if (!text)
		return;
	struct project_cidr *cidr = arena_alloc(r->arena, sizeof(*cidr));
	cidr->loc = node->loc;
	switch (net_parse_cidr(text, &cidr->cidr)) {
	case NET_CIDR_OK:
		vec_push(r->arena, out, cidr);
		return;
	case NET_CIDR_SYNTAX:
		project_bad(r, node, "\"%s\" is not a CIDR", text);
		return;
	case NET_CIDR_PREFIX:
		project_bad(r, node, "\"%s\" has a bad prefix length", text);
		return;
	case NET_CIDR_HOST_BITS:
		diag_hint(project_bad(r, node, "\"%s\" has host bits set", text),
			"%s", net_host_bits_hint(r->arena, text));
		return;
	}
}

static void
project_cidr_list(struct project_reader *r, const struct ynode *value, const char *what,
	struct vec *out)
{
	if (!project_sequence(r, value, what))
		return;
	for (size_t i = 0; i < value->count; i++)
		project_add_cidr(r, value->items[i], out);
}

static void
project_read_dns_namespace(struct project_reader *r, const struct ynode *value)
{
	project_name_value(r, value, &r->project->dns_namespace);
}

/* A mapping of label keys to values (dns.pods, a cluster's labels), each
 * checked as Kubernetes checks labels; NULL after saying what is wrong. */
static struct label *
project_labels(struct project_reader *r, const struct ynode *value, const char *what)
{
	if (value->kind != YNODE_MAPPING) {
		project_bad(r, value, "%s must be a mapping of label keys to values", what);
		return NULL;
	}
	struct label *labels = arena_array(r->arena, value->count + 1, sizeof(*labels));
	bool ok = true;
	for (size_t i = 0; i < value->count; i++) {
		const struct ynode *key = value->items[2 * i], *label = value->items[2 * i + 1];
		labels[i] = (struct label){ project_string(r, key, "a label key"), ynode_string(label) };
		const char *why = labels[i].key ? validate_label_key(labels[i].key) : NULL;
		if (why)
			project_bad(r, key, "\"%s\" is not a valid label key: %s", labels[i].key, why);
		const char *bad_value = label->kind != YNODE_SCALAR ? "it must be a string"
			: validate_label_value(labels[i].value);
		if (bad_value)
			project_bad(r, label, "not a valid label value: %s", bad_value);
		ok = ok && labels[i].key && !why && !bad_value;
	}
	return ok ? labels : NULL;
}

static void
project_read_dns_pods(struct project_reader *r, const struct ynode *value)
{
	struct label *labels = project_labels(r, value, "dns.pods");
	if (labels)
		r->project->dns_pods = selector_from_labels(r->arena, labels, value->count);
}

static void
project_read_dns_addresses(struct project_reader *r, const struct ynode *value)
{
	r->project->dns_addresses = (struct vec){ 0 };
	project_cidr_list(r, value, "dns.addresses", &r->project->dns_addresses);
}

static void
project_read_cluster_domain(struct project_reader *r, const struct ynode *value)
{
	const char *domain = project_string(r, value, "dns.cluster-domain");
	const char *why = domain ? validate_cluster_domain(domain) : NULL;
	if (why)
		diag_hint(project_bad(r, value, "\"%s\" is not a cluster domain: %s", domain, why),
			"the kubelet's clusterDomain, as in \"cluster-domain: cluster.local\"");
	else if (domain)
		r->project->cluster_domain = domain;
}

static const struct project_key project_dns_keys[] = {
	{ "namespace", project_read_dns_namespace, NULL, PROJECT_KEY_ANYWHERE },
	{ "pods", project_read_dns_pods, NULL, PROJECT_KEY_ANYWHERE },
	{ "addresses", project_read_dns_addresses, NULL, PROJECT_KEY_ANYWHERE },
	{ "cluster-domain", project_read_cluster_domain, NULL, PROJECT_KEY_ANYWHERE },
};

static const struct project_key *
project_find_key(struct project_reader *r, const struct ynode *key,
	const struct project_key *keys, size_t count)
{
	const char *name = ynode_string(key);
	if (!name) {
		project_bad(r, key, "a key must be a string");
		return NULL;
	}
	const char **names = arena_array(r->arena, count, sizeof(*names));
	size_t known = 0;
	enum project_key_place elsewhere = r->in_cluster ? PROJECT_KEY_TOP : PROJECT_KEY_CLUSTER;
	for (size_t i = 0; i < count; i++) {
		if (keys[i].place == elsewhere)
			continue;
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
		names[known++] = keys[i].name;
	}
	struct diag *d = diag_report(r->diags, DIAG_PROJECT_UNKNOWN_KEY, &key->loc,
		"unknown key \"%s\"", name);
	const char *near = diag_nearest(name, names, known);
	if (near)
		diag_hint(d, "did you mean \"%s\"?", near);
	return NULL;
}

/* Reads each known key; seen, when given, records which were there. */
static void
project_read_keys(struct project_reader *r, const struct ynode *map,
	const struct project_key *keys, size_t count, bool *seen)
{
	for (size_t i = 0; i < map->count; i++) {
		const struct project_key *key = project_find_key(r, map->items[2 * i], keys, count);
		if (!key)
			continue;
		if (seen)
			seen[key - keys] = true;
		key->read(r, map->items[2 * i + 1]);
	}
}

static void
project_read_dns(struct project_reader *r, const struct ynode *value)
{
	if (value->kind != YNODE_MAPPING) {
		project_bad(r, value, "dns must be a mapping with namespace, pods and addresses");
		return;
	}
	project_read_keys(r, value, project_dns_keys,
		sizeof(project_dns_keys) / sizeof(project_dns_keys[0]), NULL);
}

static void
project_read_admin(struct project_reader *r, const struct ynode *value)
{
	if (value->kind != YNODE_MAPPING) {
		project_bad(r, value, "admin must be a mapping with channel and priorities");
		return;
	}
	project_read_keys(r, value, project_admin_keys,
		sizeof(project_admin_keys) / sizeof(project_admin_keys[0]), NULL);
}

static void
project_read_isolate(struct project_reader *r, const struct ynode *value)
{
	if (!project_sequence(r, value, "isolate"))
		return;
	/* A cluster isolates the fleet's namespaces and its own: a namespace
	 * the fleet locks down stays locked down in every cluster. */
	struct vec fleet = r->project->isolate;
	r->project->isolate = (struct vec){ 0 };
	vec_append(r->arena, &r->project->isolate, &fleet);
	for (size_t i = 0; i < value->count; i++) {
		struct project_name *name = arena_alloc(r->arena, sizeof(*name));
		if (project_name_value(r, value->items[i], name))
			vec_push(r->arena, &r->project->isolate, name);
	}
}

static void
project_read_cluster_cidrs(struct project_reader *r, const struct ynode *value)
{
	r->project->cluster_cidrs = (struct vec){ 0 };
	project_cidr_list(r, value, "cluster-cidrs", &r->project->cluster_cidrs);
}

/* A duration key: expiry-warning (e.g. 14d), review-interval (180d). */
static void
project_duration(struct project_reader *r, const struct ynode *value, const char *key,
	const char *example, int64_t *out)
{
	const char *text = project_string(r, value, key);
	if (text && !when_parse_duration(text, out))
		diag_hint(project_bad(r, value, "\"%s\" is not a duration", text),
			"a positive whole number and a unit (s, m, h, d or w), e.g. %s", example);
}

static void
project_read_expiry_warning(struct project_reader *r, const struct ynode *value)
{
	project_duration(r, value, "expiry-warning", "14d", &r->project->expiry_warning);
}

static void
project_read_review_interval(struct project_reader *r, const struct ynode *value)
{
	project_duration(r, value, "review-interval", "180d", &r->project->review_interval);
}

static void
project_read_clusters(struct project_reader *r, const struct ynode *value)
{
	r->clusters = value;
}

/* ---- a fleet's clusters ---- */

static void
project_read_cluster_name(struct project_reader *r, const struct ynode *value)
{
	const char *name = project_string(r, value, "a cluster name");
	const char *why = name ? validate_dns_label(name) : NULL;
	if (why)
		project_bad(r, value, "\"%s\" is not a valid cluster name: %s", name, why);
	else if (name)
		r->project->cluster = (struct project_name){ name, value->loc };
}

static void
project_read_cluster_labels(struct project_reader *r, const struct ynode *value)
{
	struct label *labels = project_labels(r, value, "labels");
	if (labels) {
		r->project->cluster_labels = labels;
		r->project->cluster_label_count = value->count;
	}
}

/* "ADDRESS", "IPV4:PORT" or "[IPV6]:PORT" into r (port 53 when none);
 * false when it is none of them. */
static bool
parse_resolver(const char *text, struct project_resolver *r)
{
	const char *colon = strrchr(text, ':'), *address = text, *port = NULL;
	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		if (!close || (close[1] && close[1] != ':'))
			return false;
		address = text + 1;
		colon = close;
		port = close[1] ? close + 2 : NULL;
	} else if (colon && strchr(text, ':') == colon) {
		port = colon + 1;
	} else {
		colon = NULL;
	}
	char *end = NULL;
	long number = port ? strtol(port, &end, 10) : 53;
	if (port && (!*port || *end || number < 1 || number > 65535 || !isdigit((unsigned char)*port)))
		return false;
	char host[64];
	size_t len = colon ? (size_t)(colon - address) : strlen(address);
	if (len >= sizeof(host) || strchr(text, '/'))
		return false;
	memcpy(host, address, len);
	host[len] = '\0';
	r->port = (uint16_t)number;
	return net_parse_cidr(host, &r->addr) == NET_CIDR_OK && (text[0] != '[' || r->addr.family == 6);
}

static void
project_read_probe_image(struct project_reader *r, const struct ynode *value)
{
	const char *image = project_string(r, value, "probe-image");
	const char *why = image ? validate_image(image) : NULL;
	if (why)
		project_bad(r, value, "\"%s\" is %s", image, why);
	else if (image)
		r->project->probe_image = image;
}

static void
project_read_lock_resolvers(struct project_reader *r, const struct ynode *value)
{
	r->project->lock_resolvers = (struct vec){ 0 };
	if (!project_sequence(r, value, "lock-resolvers"))
		return;
	for (size_t i = 0; i < value->count; i++) {
		const struct ynode *node = value->items[i];
		struct project_resolver *resolver = arena_alloc(r->arena, sizeof(*resolver));
		*resolver = (struct project_resolver){ .text = project_string(r, node, "a resolver"), .loc = node->loc };
		if (resolver->text && parse_resolver(resolver->text, resolver))
			vec_push(r->arena, &r->project->lock_resolvers, resolver);
		else if (resolver->text)
			diag_hint(project_bad(r, node, "\"%s\" is not a DNS server's address", resolver->text),
				"an address, with a port if not 53: 10.0.0.53, 10.0.0.53:5353, [fd00::53]:53");
	}
}

/* A cluster may give every key but vendors, expiry-warning and
 * review-interval, which are the fleet's: a vendor has one file and one
 * expiry everywhere. */
static const struct project_key project_keys[] = {
	{ "vendors", project_read_vendors, "vendors: vendors/", PROJECT_KEY_TOP },
	{ "name", project_read_cluster_name, "name: prod-eu", PROJECT_KEY_CLUSTER },
	{ "labels", project_read_cluster_labels, NULL, PROJECT_KEY_CLUSTER },
	{ "output", project_read_output, "output: deploy/vendor-access/", PROJECT_KEY_ANYWHERE },
	{ "catalog", project_read_catalog, "catalog: [cluster/]", PROJECT_KEY_ANYWHERE },
	{ "lock", project_read_lock, NULL, PROJECT_KEY_ANYWHERE },
	{ "backend", project_read_backend, NULL, PROJECT_KEY_ANYWHERE },
	{ "enforce", project_read_enforce, NULL, PROJECT_KEY_ANYWHERE },
	{ "admin", project_read_admin, NULL, PROJECT_KEY_ANYWHERE },
	{ "dns", project_read_dns, NULL, PROJECT_KEY_ANYWHERE },
	{ "isolate", project_read_isolate, NULL, PROJECT_KEY_ANYWHERE },
	{ "cluster-cidrs", project_read_cluster_cidrs, NULL, PROJECT_KEY_ANYWHERE },
	{ "lock-resolvers", project_read_lock_resolvers, NULL, PROJECT_KEY_ANYWHERE },
	{ "probe-image", project_read_probe_image, NULL, PROJECT_KEY_ANYWHERE },
	{ "expiry-warning", project_read_expiry_warning, NULL, PROJECT_KEY_TOP },
	{ "review-interval", project_read_review_interval, NULL, PROJECT_KEY_TOP },
	{ "clusters", project_read_clusters, NULL, PROJECT_KEY_TOP },
};

enum { PROJECT_KEY_COUNT = sizeof(project_keys) / sizeof(project_keys[0]) };

static bool
project_key_seen(const bool *seen, project_read_fn *read)
{
	for (size_t i = 0; i < PROJECT_KEY_COUNT; i++)
		if (project_keys[i].read == read)
			return seen[i];
	return false;
}

struct project *
project_cluster_named(const struct project *fleet, const char *name)
{
	for (size_t i = 0; i < fleet->clusters.len; i++) {
		struct project *cluster = vec_at(&fleet->clusters, i);
		if (strcmp(cluster->cluster.name, name) == 0)
			return cluster;
	}
	return NULL;
}

const char **
project_cluster_names(struct arena *arena, const struct project *fleet)
{
	const char **names = arena_array(arena, fleet->clusters.len + 1, sizeof(*names));
	for (size_t i = 0; i < fleet->clusters.len; i++)
		names[i] = ((const struct project *)vec_at(&fleet->clusters, i))->cluster.name;
	return names;
}

void
project_trees(struct arena *arena, struct project *project, struct vec *out)
{
	if (!project->clusters.len)
		vec_push(arena, out, project);
	vec_append(arena, out, &project->clusters);
}

/* One entry of `clusters`: the fleet's keys, then its own over them. */
static void
project_read_cluster(struct project_reader *r, const struct ynode *entry)
{
	if (entry->kind != YNODE_MAPPING) {
		diag_hint(project_bad(r, entry, "a cluster must be a mapping"), "start it with \"- name: prod-eu\"");
		return;
	}
	struct project *cluster = arena_alloc(r->arena, sizeof(*cluster));
	*cluster = *r->project;
	cluster->clusters = (struct vec){ 0 };
	cluster->fleet = r->project;
	cluster->cluster = (struct project_name){ 0 };
	struct project_reader own = { r->arena, r->diags, cluster, NULL, true };
	bool seen[PROJECT_KEY_COUNT] = { false };
	project_read_keys(&own, entry, project_keys, PROJECT_KEY_COUNT, seen);
	if (!project_key_seen(seen, project_read_cluster_name))
		diag_hint(diag_report(r->diags, DIAG_PROJECT_MISSING_KEY, &entry->loc,
			"a cluster without a name"), "add a line like \"name: prod-eu\"");
	if (!cluster->cluster.name)
		return;
	const struct project *twin = project_cluster_named(r->project, cluster->cluster.name);
	if (twin) {
		diag_note(project_bad(r, ynode_get(entry, "name"), "a second cluster \"%s\"", cluster->cluster.name),
			&twin->cluster.loc, "the first is here");
		return;
	}
	if (!project_key_seen(seen, project_read_output))
		cluster->output = project_child(r->arena, &r->project->output, cluster->cluster.name);
	if (!cluster->catalog.len)
		diag_hint(diag_report(r->diags, DIAG_PROJECT_MISSING_KEY, &entry->loc,
			"cluster \"%s\" has no catalog", cluster->cluster.name),
			"give it one (\"catalog: [clusters/%s/]\"), or the fleet one for every cluster",
			cluster->cluster.name);
	vec_push(r->arena, &r->project->clusters, cluster);
}

static void
project_read_fleet(struct project_reader *r, const struct ynode *value)
{
	if (!project_sequence(r, value, "clusters"))
		return;
	if (!value->count)
		diag_hint(project_bad(r, value, "clusters is empty"),
			"list the clusters (\"- name: prod-eu\"), or remove the key for a project of one cluster");
	for (size_t i = 0; i < value->count; i++)
		project_read_cluster(r, value->items[i]);
}


static void
project_read_root(struct project_reader *r, const struct ynode *root)
{
	bool seen[PROJECT_KEY_COUNT] = { false };
	project_read_keys(r, root, project_keys, PROJECT_KEY_COUNT, seen);
	if (r->clusters)
		project_read_fleet(r, r->clusters);
	for (size_t i = 0; i < PROJECT_KEY_COUNT; i++) {
		/* In a fleet each cluster may name its own catalog (or says it has none). */
		bool fleet_catalog = r->clusters && project_keys[i].read == project_read_catalog;
		if (seen[i] || !project_keys[i].example || project_keys[i].place == PROJECT_KEY_CLUSTER || fleet_catalog)
			continue;
		struct diag *d = diag_report(r->diags, DIAG_PROJECT_MISSING_KEY, &root->loc,
			"missing required key \"%s\"", project_keys[i].name);
		diag_hint(d, "add a line like \"%s\"", project_keys[i].example);
	}
}

/* The one mapping the project file must hold, or NULL after saying why. */
static const struct ynode *
project_root(struct project_reader *r, const struct vec *docs)
{
	if (docs->len == 0) {
		struct loc start = { r->project->src, 1, 1, 1, 2 };
		struct diag *d = diag_report(r->diags, DIAG_PROJECT_BAD_VALUE, &start,
			"the project file is empty");
		diag_hint(d, "it needs at least \"vendors\", \"output\" and \"catalog\"");
		return NULL;
	}
	const struct ynode *root = vec_at(docs, 0);
	if (docs->len > 1) {
		project_bad(r, vec_at(docs, 1), "the project file must hold one YAML document");
		return NULL;
	}
	if (root->kind != YNODE_MAPPING) {
		project_bad(r, root, "the project file must be a mapping of keys to values");
		return NULL;
	}
	return root;
}

static struct source *
project_read_source(struct arena *arena, struct diag_set *diags, const char *path,
	const char *display, bool named)
{
	bool missing;
	struct source *src = source_read(arena, diags, path, display, LIMIT_PROJECT_FILE_SIZE,
		NULL, &missing);
	if (missing && named)
		diag_report(diags, DIAG_PROJECT_NOT_FOUND, NULL, "project file \"%s\" does not exist", path);
	else if (missing)
		diag_hint(diag_report(diags, DIAG_PROJECT_NOT_FOUND, NULL,
			"no project file \"%s\" in the current directory", path),
			"start one with \"vendorc init\", or pass -c FILE");
	return src;
}

/* The directory of the project file at path. */
static const char *
project_dir_of(struct arena *arena, const char *path)
{
	const char *slash = strrchr(path, '/');
	return !slash ? "." : slash == path ? "/" : arena_strndup(arena, path, (size_t)(slash - path));
}

static struct project *
project_new(struct arena *arena, const struct source *src, const char *path, const char *cwd)
{
	struct project *project = arena_alloc(arena, sizeof(*project));
	project->src = src;
	project->dir = project_dir_of(arena, path);
	project->cwd = cwd;
	const char *lock = project_join(arena, project->dir, "vendorc.lock");
	project->lock = (struct project_path){
		.fs = lock,
		.display = cwd ? path_from_cwd(arena, cwd, lock) : "vendorc.lock",
		.loc = loc_file(src),
	};
	project->backend = PROJECT_BACKEND_NETWORKPOLICY;
	project->admin_priorities = (struct project_band){ 60, 99, loc_file(src) };
	project->dns_namespace = (struct project_name){ "kube-system", loc_file(src) };
	project->probe_image = "registry.k8s.io/e2e-test-images/agnhost:2.53";
	struct label *dns_pod = arena_alloc(arena, sizeof(*dns_pod));
	*dns_pod = (struct label){ "k8s-app", "kube-dns" };
	project->dns_pods = selector_from_labels(arena, dns_pod, 1);
	project->cluster_domain = "cluster.local";
	project->expiry_warning = 14 * WHEN_DAY;
	project->review_interval = 180 * WHEN_DAY;
	return project;
}

static size_t
project_errors(const struct diag_set *diags)
{
	return diag_count(diags, DIAG_ERROR) + diag_count(diags, DIAG_FATAL);
}

/* The working directory --paths=cwd names files from; NULL for the
 * project's directory, and when the working directory has no name any more
 * (removed), which leaves the paths as the SPEC has them. */
static const char *
project_cwd(struct arena *arena, enum project_paths paths)
{
	char buffer[4096];
	if (paths != PROJECT_PATHS_FROM_CWD || !getcwd(buffer, sizeof(buffer)))
		return NULL;
	return arena_strdup(arena, buffer);
}

static struct project *
project_parse_at(struct arena *arena, struct diag_set *diags, const struct source *src,
	const char *fs_path, const char *cwd)
{
	size_t errors = project_errors(diags);
	struct project_reader r = { arena, diags, project_new(arena, src, fs_path, cwd), NULL, false };
	struct vec docs = { 0 };
	if (!ynode_load(arena, diags, src, &docs))
		return NULL;
	const struct ynode *root = project_root(&r, &docs);
	if (root)
		project_read_root(&r, root);
	if (project_errors(diags) != errors)
		return NULL;
	return r.project;
}

struct project *
project_load(struct arena *arena, struct diag_set *diags, const char *path,
	enum project_paths paths)
{
	bool named = path != NULL;
	const char *fs_path = named ? path : project_default_file;
	const char *slash = strrchr(fs_path, '/');
	const char *cwd = project_cwd(arena, paths);
	const char *display = cwd ? path_from_cwd(arena, cwd, fs_path) : slash ? slash + 1 : fs_path;
	struct source *src = project_read_source(arena, diags, fs_path, display, named);
	return src ? project_parse_at(arena, diags, src, fs_path, cwd) : NULL;
}

struct project *
project_parse(struct arena *arena, struct diag_set *diags, const struct source *src,
	const char *fs_path, enum project_paths paths)
{
	return project_parse_at(arena, diags, src, fs_path, project_cwd(arena, paths));
}

const char *
project_relative(struct arena *arena, const struct project *project, const char *display)
{
	if (!project->cwd)
		return display;
	return path_relative(arena, path_absolute(arena, project->cwd, display),
		path_absolute(arena, project->cwd, project->dir));
}

const char *
project_vendors_named(struct arena *arena, const char *fs_path)
{
	struct diag_set *quiet = diag_set_create(arena);
	bool missing;
	struct source *src = source_read(arena, quiet, fs_path, fs_path, LIMIT_PROJECT_FILE_SIZE, NULL, &missing);
	struct vec docs = { 0 };
	if (!src || !ynode_load(arena, quiet, src, &docs) || docs.len != 1)
		return NULL;
	const char *value = ynode_string(ynode_get(vec_at(&docs, 0), "vendors"));
	return value && *value ? project_join(arena, project_dir_of(arena, fs_path), value) : NULL;
}
