/* What the backends share: grouping flows into rules, the peer-side grants
 * of docs/semantics.md 3.4 and their names, object metadata, the namespace default-deny
 * files and the kustomization. The namespace files are standard
 * NetworkPolicy whatever the backend, so every backend emits them here. */

#include "vendorc/backend.h"

#include "vendorc/arena.h"
#include "vendorc/diag.h"
#include "vendorc/emit.h"
#include "vendorc/parallel.h"
#include "vendorc/ir.h"

#include <stdint.h>
#include <string.h>

static const char managed_by_key[] = "app.kubernetes.io/managed-by";

/* ---- ordering ---- */

static int
peer_kind(const struct backend_peer *peer)
{
	return peer->pods ? 0 : peer->cidr ? 1 : 2;
}

int
backend_peer_compare(const struct backend_peer *a, const struct backend_peer *b)
{
	int ka = peer_kind(a), kb = peer_kind(b);
	if (ka != kb)
		return ka < kb ? -1 : 1;
	if (a->cidr)
		return net_cidr_compare(a->cidr, b->cidr);
	if (a->domain)
		return strcmp(a->domain, b->domain);
	int by_ns = strcmp(a->pods->ns, b->pods->ns);
	return by_ns ? by_ns : selector_compare(&a->pods->pods, &b->pods->pods);
}

static int
peer_compare_indirect(const void *a, const void *b)
{
	return backend_peer_compare(*(struct backend_peer *const *)a, *(struct backend_peer *const *)b);
}

static int
port_compare_indirect(const void *a, const void *b)
{
	return ir_port_compare(*(struct ir_port *const *)a, *(struct ir_port *const *)b);
}

static int
ports_compare(const struct vec *a, const struct vec *b)
{
	for (size_t i = 0; i < a->len && i < b->len; i++) {
		int c = ir_port_compare(vec_at(a, i), vec_at(b, i));
		if (c)
			return c;
	}
	return (a->len > b->len) - (a->len < b->len);
}

static int
rule_compare_by_ports(const void *a, const void *b)
{
	const struct backend_rule *x = *(struct backend_rule *const *)a;
	const struct backend_rule *y = *(struct backend_rule *const *)b;
	int c = ports_compare(&x->ports, &y->ports);
	return c ? c : backend_peer_compare(vec_at(&x->peers, 0), vec_at(&y->peers, 0));
}

static int
rule_compare_by_peer(const void *a, const void *b)
{
	const struct backend_rule *x = *(struct backend_rule *const *)a;
	const struct backend_rule *y = *(struct backend_rule *const *)b;
	int c = backend_peer_compare(vec_at(&x->peers, 0), vec_at(&y->peers, 0));
	return c ? c : ports_compare(&x->ports, &y->ports);
}

/* ---- rules ---- */

void
backend_add_rule(struct arena *arena, struct vec *rules, const struct backend_peer *peer,
	const struct vec *ports)
{
	struct backend_peer *copy = arena_alloc(arena, sizeof(*copy));
	*copy = *peer;
	struct backend_rule *rule = arena_alloc(arena, sizeof(*rule));
	vec_push(arena, &rule->peers, copy);
	vec_append(arena, &rule->ports, ports);
	vec_push(arena, rules, rule);
}

/* Rules that are equal in key (peers or ports) become one, uniting the
 * other part. Both merges keep exactly the allowed (peer, port) pairs.
 * Sorted by ports then first peer, rules on equal ports come in runs of one
 * peer kind, so kinds_apart needs only compare neighbours. */
static struct vec
merge_rules(struct arena *arena, struct vec *rules, bool by_peer, bool kinds_apart)
{
	vec_sort(rules, by_peer ? rule_compare_by_peer : rule_compare_by_ports);
	struct vec merged = { 0 };
	for (size_t i = 0; i < rules->len; i++) {
		struct backend_rule *rule = vec_at(rules, i);
		struct backend_rule *last = merged.len ? vec_at(&merged, merged.len - 1) : NULL;
		bool same = last && (by_peer
			? backend_peer_compare(vec_at(&last->peers, 0), vec_at(&rule->peers, 0)) == 0
			: ports_compare(&last->ports, &rule->ports) == 0
				&& (!kinds_apart || peer_kind(vec_at(&last->peers, 0))
					== peer_kind(vec_at(&rule->peers, 0))));
		if (!same) {
			vec_push(arena, &merged, rule);
			continue;
		}
		vec_append(arena, by_peer ? &last->ports : &last->peers, by_peer ? &rule->ports : &rule->peers);
		vec_sort_unique(by_peer ? &last->ports : &last->peers,
			by_peer ? port_compare_indirect : peer_compare_indirect);
	}
	return merged;
}

struct vec
backend_group_rules(struct arena *arena, struct vec *rules, bool kinds_apart)
{
	struct vec by_peer = merge_rules(arena, rules, true, kinds_apart);
	for (size_t i = 0; i < by_peer.len; i++) {
		struct backend_rule *rule = vec_at(&by_peer, i);
		vec_sort_unique(&rule->ports, port_compare_indirect);
	}
	struct vec grouped = merge_rules(arena, &by_peer, false, kinds_apart);
	vec_sort(&grouped, rule_compare_by_peer);
	return grouped;
}

/* ---- peer-side policies ---- */

static uint32_t
fnv1a(const char *text, uint32_t hash)
{
	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		hash = (hash ^ *c) * 16777619u;
	return hash;
}

struct backend_policy *
backend_policy_new(struct arena *arena, const struct ir_vendor *vendor, const char *name,
	const char *ns, const struct selector *pods, enum ir_direction dir)
{
	struct backend_policy *policy = arena_alloc(arena, sizeof(*policy));
	*policy = (struct backend_policy){ .name = name, .ns = ns, .pods = pods, .dir = dir,
		.vendor = vendor };
	return policy;
}

/* The grant on the peer's side for one isolated selector: its name hashes
 * namespace, selector and direction, so it stays put as others come and go. */
static struct backend_policy *
peer_policy(struct arena *arena, struct vec *policies, const struct ir_vendor *vendor,
	const char *ns, const struct selector *pods, enum ir_direction dir)
{
	for (size_t i = 0; i < policies->len; i++) {
		struct backend_policy *policy = vec_at(policies, i);
		if (policy->dir == dir && strcmp(policy->ns, ns) == 0
			&& selector_compare(policy->pods, pods) == 0)
			return policy;
	}
	uint32_t hash = fnv1a(ns, 2166136261u);
	hash = fnv1a(selector_text(arena, pods), fnv1a("|", hash));
	hash = fnv1a(dir == IR_INGRESS ? "|ingress" : "|egress", hash);
	const char *name = arena_printf(arena, "vendorc-%s-peer-%08x", vendor->name, hash);
	struct backend_policy *policy = backend_policy_new(arena, vendor, name, ns, pods, dir);
	struct backend_rule *rule = arena_alloc(arena, sizeof(*rule));
	struct backend_peer *peer = arena_alloc(arena, sizeof(*peer));
	peer->pods = &vendor->pods;
	vec_push(arena, &rule->peers, peer);
	vec_push(arena, &policy->rules, rule);
	vec_push(arena, policies, policy);
	return policy;
}

static int
policy_compare(const void *a, const void *b)
{
	const struct backend_policy *x = *(struct backend_policy *const *)a;
	const struct backend_policy *y = *(struct backend_policy *const *)b;
	int by_ns = strcmp(x->ns, y->ns);
	return by_ns ? by_ns : strcmp(x->name, y->name);
}

void
backend_peer_policies(struct arena *arena, const struct ir_vendor *vendor, struct vec *out)
{
	struct vec policies = { 0 };
	for (size_t i = 0; i < vendor->flows.len; i++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, i);
		enum ir_direction peer_dir = flow->dir == IR_EGRESS ? IR_INGRESS : IR_EGRESS;
		for (size_t s = 0; s < flow->peer_isolated.len; s++) {
			struct backend_policy *policy = peer_policy(arena, &policies, vendor,
				flow->pods.ns, vec_at(&flow->peer_isolated, s), peer_dir);
			struct backend_rule *rule = vec_at(&policy->rules, 0);
			vec_append(arena, &rule->ports, &flow->ports);
			vec_sort_unique(&rule->ports, port_compare_indirect);
			vec_push(arena, &policy->grants, (void *)flow->origin);
			vec_sort_unique(&policy->grants, vec_compare_strings);
		}
	}
	vec_sort(&policies, policy_compare);
	vec_append(arena, out, &policies);
}

/* ---- YAML ---- */

void
backend_emit_selector(struct emit *e, const char *key, const struct selector *sel)
{
	if (key)
		emit_str(e, key);
	emit_map_begin(e);
	if (sel->label_count) {
		emit_word(e, "matchLabels");
		emit_map_begin(e);
		for (size_t i = 0; i < sel->label_count; i++)
			emit_pair_str(e, sel->labels[i].key, sel->labels[i].value);
		emit_map_end(e);
	}
	if (sel->expr_count) {
		emit_word(e, "matchExpressions");
		emit_seq_begin(e);
		for (size_t i = 0; i < sel->expr_count; i++) {
			const struct selector_expr *expr = &sel->exprs[i];
			emit_map_begin(e);
			emit_field(e, "key", expr->key);
			emit_word(e, "operator");
			emit_word(e, selector_op_name(expr->op));
			if (expr->op == SELECTOR_IN || expr->op == SELECTOR_NOT_IN) {
				emit_word(e, "values");
				emit_seq_begin(e);
				for (size_t v = 0; v < expr->value_count; v++)
					emit_str(e, expr->values[v]);
				emit_seq_end(e);
			}
			emit_map_end(e);
		}
		emit_seq_end(e);
	}
	emit_map_end(e);
}

static void
emit_labels(struct emit *e, const struct ir_vendor *vendor)
{
	emit_word(e, "labels");
	emit_map_begin(e);
	emit_field(e, managed_by_key, "vendorc");
	if (vendor)
		emit_field(e, "vendorc.io/vendor", vendor->name);
	emit_map_end(e);
}

static const char *
join(struct arena *arena, const struct vec *strings, const char *separator)
{
	const char *text = "";
	for (size_t i = 0; i < strings->len; i++)
		text = arena_printf(arena, "%s%s%s", text, i ? separator : "", (const char *)vec_at(strings, i));
	return text;
}

/* Annotations in key order: what an auditor needs to trace a policy back. */
static void
emit_annotations(struct arena *arena, struct emit *e, const struct ir_vendor *vendor,
	const struct vec *grants)
{
	emit_word(e, "annotations");
	emit_map_begin(e);
	emit_field(e, "vendorc.io/expires", vendor->expires);
	if (grants && grants->len)
		emit_field(e, "vendorc.io/grants", join(arena, grants, "; "));
	if (vendor->owner)
		emit_field(e, "vendorc.io/owner", vendor->owner);
	emit_field(e, "vendorc.io/source", vendor->source);
	if (vendor->ticket)
		emit_field(e, "vendorc.io/ticket", vendor->ticket);
	emit_map_end(e);
}

void
backend_emit_object_begin(struct arena *arena, struct emit *e, const char *api_version,
	const char *kind, const char *name, const char *ns, const struct ir_vendor *vendor,
	const struct vec *grants)
{
	emit_document_begin(e);
	emit_map_begin(e);
	emit_word(e, "apiVersion");
	emit_word(e, api_version);
	emit_word(e, "kind");
	emit_word(e, kind);
	emit_word(e, "metadata");
	emit_map_begin(e);
	emit_field(e, "name", name);
	if (ns)
		emit_field(e, "namespace", ns);
	emit_labels(e, vendor);
	if (vendor)
		emit_annotations(arena, e, vendor, grants);
	emit_map_end(e);
}

void
backend_emit_object_end(struct emit *e)
{
	emit_map_end(e);
	emit_document_end(e);
}

static void
emit_default_deny(struct arena *arena, struct emit *e, const char *ns)
{
	backend_emit_object_begin(arena, e, "networking.k8s.io/v1", "NetworkPolicy",
		"vendorc-default-deny", ns, NULL, NULL);
	emit_word(e, "spec");
	emit_map_begin(e);
	backend_emit_selector(e, "podSelector", &(struct selector){ 0 });
	emit_word(e, "policyTypes");
	emit_seq_begin(e);
	emit_word(e, "Ingress");
	emit_word(e, "Egress");
	emit_seq_end(e);
	emit_map_end(e);
	backend_emit_object_end(e);
}

/* ---- files ---- */

struct backend_file *
backend_file_finish(struct arena *arena, const struct backend_sink *sink, struct emit *e,
	const char *name)
{
	struct backend_file *file = arena_alloc(arena, sizeof(*file));
	file->name = name;
	file->failed = !e || !emit_end(e, &file->data, &file->len);
	if (!file->failed && (!sink || sink->take(sink->context, file)))
		file->data = arena_strndup(arena, file->data, file->len);
	else
		file->data = NULL;
	emit_destroy(e);
	return file;
}

static bool
keep_file(struct arena *arena, struct diag_set *diags, struct backend_file *file, struct vec *files)
{
	if (file->failed) {
		diag_report(diags, DIAG_IO_ERROR, NULL, "internal error: cannot emit \"%s\"", file->name);
		return false;
	}
	vec_push(arena, files, file);
	return true;
}

bool
backend_finish_file(struct arena *arena, struct diag_set *diags, const struct backend_sink *sink,
	struct emit *e, const char *name, struct vec *files)
{
	return keep_file(arena, diags, backend_file_finish(arena, sink, e, name), files);
}

struct file_jobs {
	backend_file_job *make;
	const struct backend_pass *pass;
	struct backend_file **made; /* by index */
};

static void
make_file(void *context, size_t index, struct arena *arena, struct arena *scratch)
{
	struct file_jobs *jobs = context;
	jobs->made[index] = jobs->make(jobs->pass, index, arena, scratch);
}

bool
backend_parallel_files(struct arena *arena, struct diag_set *diags, size_t count,
	backend_file_job *make, const struct backend_pass *pass, struct vec *files)
{
	struct file_jobs jobs = { make, pass, arena_array(arena, count, sizeof(*jobs.made)) };
	parallel_run(arena, count, make_file, &jobs);
	bool ok = true;
	for (size_t i = 0; i < count; i++)
		if (jobs.made[i])
			ok &= keep_file(arena, diags, jobs.made[i], files);
	return ok;
}

static struct backend_file *
namespace_file(const struct backend_pass *pass, size_t index, struct arena *arena,
	struct arena *scratch)
{
	const char *ns = vec_at(&pass->ir->denied_namespaces, index);
	struct emit *e = emit_create();
	if (e)
		emit_default_deny(scratch, e, ns);
	if (e && pass->ir->ceilings.len) {
		const struct ir_namespace_ceiling *ceiling = vec_at(&pass->ir->ceilings, index);
		backend_emit_ceiling(scratch, e, &ceiling->cnps, NULL);
	}
	return backend_file_finish(arena, pass->sink, e, arena_printf(arena, "namespace-%s.yaml", ns));
}

bool
backend_namespace_files(struct arena *arena, struct diag_set *diags,
	const struct backend_pass *pass, struct vec *files)
{
	return backend_parallel_files(arena, diags, pass->ir->denied_namespaces.len, namespace_file,
		pass, files);
}

/* Namespace files then vendor files, each in name order, which is name
 * order overall. */
bool
backend_kustomization(struct arena *arena, struct diag_set *diags, const struct backend_sink *sink,
	struct vec *files, size_t first)
{
	struct emit *e = emit_create();
	if (e) {
		emit_document_begin(e);
		emit_map_begin(e);
		emit_field(e, "apiVersion", "kustomize.config.k8s.io/v1beta1");
		emit_field(e, "kind", "Kustomization");
		emit_word(e, "resources");
		emit_seq_begin(e);
		for (size_t i = first; i < files->len; i++)
			emit_str(e, ((const struct backend_file *)vec_at(files, i))->name);
		emit_seq_end(e);
		emit_map_end(e);
		emit_document_end(e);
	}
	return backend_finish_file(arena, diags, sink, e, "kustomization.yaml", files);
}
