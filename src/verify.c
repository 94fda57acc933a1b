#include "vendorc/verify.h"

#include "vendorc/arena.h"
#include "vendorc/backend.h"
#include "vendorc/catalog.h"
#include "vendorc/diag.h"
#include "vendorc/eval.h"
#include "vendorc/ir.h"
#include "vendorc/outdir.h"
#include "vendorc/parallel.h"
#include "vendorc/probe.h"
#include "vendorc/project.h"
#include "vendorc/ynode.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Violations reported per check (a vendor, a policy, a namespace) and in
 * all: past them the rest says nothing new. Of a check's violations the
 * first VERIFY_KEPT distinct ones are enough to tell as one thread would:
 * at most VERIFY_IN_ALL of them can have been told by the checks before. */
enum { VERIFY_PER_SUBJECT = 3, VERIFY_IN_ALL = 50, VERIFY_KEPT = VERIFY_PER_SUBJECT + VERIFY_IN_ALL };

struct verifier {
	struct arena *arena;
	struct diag_set *diags;
	const struct ir *ir;
	const struct catalog *catalog;
	const struct eval_policies *emitted;
	bool adversarial;            /* an allow-all NetworkPolicy in every namespace too */
	bool by_name;                /* lookups are proved name by name (verify.h) */
	bool outside_ingress_open;   /* the adversary's addresses reach pods: said once */
	struct eval_world *after;    /* catalog and emitted policies */
	struct eval_world *before;   /* catalog and the intended default-deny */
	struct probe *probe;
	struct vec probed;           /* struct netpol *: the emitted policies, as the probe sees them */
	struct arena *scratch;       /* one check's vectors, freed after it */
	struct vec homes;            /* struct home *, by namespace, then IR order */
	/* The checks run on every core, gathering (to_tell NULL) the distinct
	 * violations each finds into found; tell() then picks, in the checks'
	 * order, the ones to report, and runs each check that has any again,
	 * telling them. */
	struct vec *found;           /* const char *: the running check's violations */
	const struct vec *to_tell;   /* const char *: those it is to report */
};

/* Where a namespace's first vendor in the IR was declared: what a
 * violation in a default-denied namespace points at. */
struct home {
	const char *ns;
	size_t order;
	const struct loc *loc;
};

/* ---- reading the emitted policies back ---- */

static bool
is_kind(const struct ynode *doc, const char *kind)
{
	const char *text = ynode_string(ynode_get(doc, "kind"));
	return text && strcmp(text, kind) == 0;
}

/* What files hold: vendorc's policies and, in a dump of the live
 * cluster, the cluster's own; and whether any file looked like a dump (a
 * List, or a policy at all). */
struct held {
	struct eval_policies ours;
	struct eval_policies own;
	bool dump;
};

/* The files are parsed back on every core, each into a diagnostic set and
 * what it holds, gathered in file order. */
struct reading {
	const struct vec *files;     /* struct backend_file * */
	const char *display_dir;
	bool dump;                   /* files of the live cluster: ours by label */
	struct held *held;           /* by file */
	struct diag_set **diags;     /* by file */
	bool *ok;                    /* by file */
};

static bool
is_cilium(const struct ynode *object)
{
	return is_kind(object, "CiliumNetworkPolicy") || is_kind(object, "CiliumClusterwideNetworkPolicy");
}

static void
read_object(struct arena *arena, struct diag_set *diags, const struct reading *r,
	const struct ynode *object, struct held *held, bool *ok)
{
	bool netpol = is_kind(object, "NetworkPolicy"), cilium = is_cilium(object);
	if (!netpol && !cilium && !is_kind(object, "ClusterNetworkPolicy"))
		return;
	held->dump = true;
	struct eval_policies *to = !r->dump || catalog_is_ours(object) ? &held->ours : &held->own;
	if (cilium) {
		*ok &= catalog_read_ciliumpol(arena, diags, object, &to->ciliumpols);
		return;
	}
	void *policy = netpol ? (void *)catalog_read_netpol(arena, diags, object)
		: (void *)catalog_read_clusterpol(arena, diags, object);
	*ok &= policy != NULL;
	if (policy)
		vec_push(arena, netpol ? &to->netpols : &to->clusterpols, policy);
}

static void
read_file_policies(void *context, size_t index, struct arena *arena, struct arena *scratch)
{
	struct reading *r = context;
	const struct backend_file *file = vec_at(r->files, index);
	struct diag_set *diags = r->diags[index] = diag_set_create(arena);
	const char *path = arena_printf(arena, "%s/%s", r->display_dir, file->name);
	struct source *src = source_borrow(arena, path, file->data, file->len);
	/* The tree is many times the size of the text: only what the policies
	 * keep (strings, places) stays in arena. */
	struct vec docs = { 0 }, objects = { 0 };
	bool ok = ynode_load_split(scratch, arena, diags, src, &docs);
	for (size_t d = 0; d < docs.len; d++)
		r->held[index].dump |= catalog_document_objects(scratch, diags, vec_at(&docs, d), &objects);
	for (size_t i = 0; i < objects.len; i++)
		read_object(arena, diags, r, vec_at(&objects, i), &r->held[index], &ok);
	r->ok[index] = ok;
}

static void
append_policies(struct arena *arena, struct eval_policies *to, const struct eval_policies *from)
{
	vec_append(arena, &to->netpols, &from->netpols);
	vec_append(arena, &to->clusterpols, &from->clusterpols);
	vec_append(arena, &to->ciliumpols, &from->ciliumpols);
}

static bool
read_files(struct arena *arena, struct diag_set *diags, const struct vec *files,
	const char *display_dir, bool dump, struct held *held)
{
	struct reading r = {
		.files = files,
		.display_dir = display_dir,
		.dump = dump,
		.held = arena_array(arena, files->len, sizeof(*r.held)),
		.diags = arena_array(arena, files->len, sizeof(*r.diags)),
		.ok = arena_array(arena, files->len, sizeof(*r.ok)),
	};
	parallel_run(arena, files->len, read_file_policies, &r);
	bool ok = true;
	for (size_t i = 0; i < files->len; i++) {
		diag_set_absorb(diags, r.diags[i]);
		append_policies(arena, &held->ours, &r.held[i].ours);
		append_policies(arena, &held->own, &r.held[i].own);
		held->dump |= r.held[i].dump;
		ok &= r.ok[i];
	}
	return ok;
}

bool
verify_read_policies(struct arena *arena, struct diag_set *diags, const struct vec *files,
	const char *display_dir, struct eval_policies *policies)
{
	struct held held = { 0 };
	bool ok = read_files(arena, diags, files, display_dir, false, &held);
	append_policies(arena, policies, &held.ours);
	return ok;
}

/* ---- what --verify DIR holds, against what compile makes ---- */

static int
file_name_order(const void *key, const void *item)
{
	return strcmp(key, ((const struct backend_file *)item)->name);
}

static int
policy_order(const void *key, const void *item)
{
	return netpol_compare(&key, &item);
}

/* A place that is a path alone: what is missing has no line. */
static const struct loc *
path_loc(struct arena *arena, const char *path)
{
	struct loc *loc = arena_alloc(arena, sizeof(*loc));
	*loc = loc_file(source_borrow(arena, path, "", 0));
	return loc;
}

static void
report_no_files(struct diag_set *diags, const char *dir, size_t expected)
{
	struct diag *d = diag_report(diags, DIAG_VERIFY_NO_FILES, NULL,
		"no generated files in %s: none of the %zu file%s compile would write is there", dir,
		expected, expected == 1 ? "" : "s");
	diag_hint(d, "write them with \"vendorc compile -o %s\", or verify the live cluster from a dump "
		"of its policies: \"kubectl get networkpolicies -A -o yaml > %s/live.yaml\"", dir, dir);
}

static bool
file_held(const struct backend_file *file, const struct vec *present)
{
	return vec_find(present, file->name, file_name_order) != NULL;
}

static bool
any_file_held(const struct vec *expected, const struct vec *present)
{
	for (size_t i = 0; i < expected->len; i++)
		if (file_held(vec_at(expected, i), present))
			return true;
	return false;
}

/* Each file compile would write that dir lacks, once. */
static void
report_missing_files(struct arena *arena, struct diag_set *diags, const char *dir,
	const struct vec *expected, const struct vec *present)
{
	for (size_t i = 0; i < expected->len; i++) {
		const struct backend_file *file = vec_at(expected, i);
		if (!file_held(file, present))
			diag_report(diags, DIAG_VERIFY_MISSING_FILE,
				path_loc(arena, arena_printf(arena, "%s/%s", dir, file->name)),
				"missing: compile would write this file");
	}
}

static int
clusterpol_order(const void *key, const void *item)
{
	return strcmp(((const struct clusterpol *)key)->name, ((const struct clusterpol *)item)->name);
}

static int
clusterpol_name_compare(const void *a, const void *b)
{
	return clusterpol_order(*(const void *const *)a, *(const void *const *)b);
}

/* Cilium policies by namespace and name: an object with specs is one
 * policy of several rules. */
static int
ciliumpol_order(const void *key, const void *item)
{
	const struct ciliumpol *x = key, *y = item;
	int by_ns = strcmp(x->ns ? x->ns : "", y->ns ? y->ns : "");
	return by_ns ? by_ns : strcmp(x->name, y->name);
}

static int
ciliumpol_name_compare(const void *a, const void *b)
{
	return ciliumpol_order(*(const void *const *)a, *(const void *const *)b);
}

/* The policies of expected that live lacks, each kind in its order. */
static size_t
missing_policies(struct arena *arena, const struct eval_policies *expected, struct eval_policies *live,
	struct eval_policies *missing)
{
	vec_sort(&live->netpols, netpol_compare);
	vec_sort(&live->clusterpols, clusterpol_name_compare);
	for (size_t i = 0; i < expected->netpols.len; i++)
		if (!vec_find(&live->netpols, vec_at(&expected->netpols, i), policy_order))
			vec_push(arena, &missing->netpols, vec_at(&expected->netpols, i));
	for (size_t i = 0; i < expected->clusterpols.len; i++)
		if (!vec_find(&live->clusterpols, vec_at(&expected->clusterpols, i), clusterpol_order))
			vec_push(arena, &missing->clusterpols, vec_at(&expected->clusterpols, i));
	vec_sort(&live->ciliumpols, ciliumpol_name_compare);
	for (size_t i = 0; i < expected->ciliumpols.len; i++) {
		const struct ciliumpol *cp = vec_at(&expected->ciliumpols, i);
		if (cp->index == 0 && !vec_find(&live->ciliumpols, cp, ciliumpol_order))
			vec_push(arena, &missing->ciliumpols, (void *)cp);
	}
	return missing->netpols.len + missing->clusterpols.len + missing->ciliumpols.len;
}

/* Each policy compile would make that the live cluster lacks; when it
 * lacks them all, one error: its policies were never applied, or the
 * dump is of another cluster. */
static bool
report_missing_policies(struct arena *arena, struct diag_set *diags, const char *dir,
	const struct eval_policies *expected, struct eval_policies *live)
{
	struct eval_policies missing = { 0 };
	size_t count = missing_policies(arena, expected, live, &missing);
	size_t all = expected->netpols.len + expected->clusterpols.len;
	for (size_t i = 0; i < expected->ciliumpols.len; i++)
		all += ((const struct ciliumpol *)vec_at(&expected->ciliumpols, i))->index == 0;
	if (count && count == all) {
		diag_hint(diag_report(diags, DIAG_VERIFY_MISSING_POLICY, path_loc(arena, dir),
			"the live cluster has none of the %zu policies compile would make", all),
			"vendorc's are those labelled app.kubernetes.io/managed-by: vendorc; apply its "
			"output to the cluster, then dump the cluster's policies again");
		return false;
	}
	for (size_t i = 0; i < missing.netpols.len; i++) {
		const struct netpol *np = vec_at(&missing.netpols, i);
		diag_report(diags, DIAG_VERIFY_MISSING_POLICY, path_loc(arena, dir),
			"missing policy \"%s\" in namespace \"%s\": compile would make it", np->name, np->ns);
	}
	for (size_t i = 0; i < missing.clusterpols.len; i++)
		diag_report(diags, DIAG_VERIFY_MISSING_POLICY, path_loc(arena, dir),
			"missing ClusterNetworkPolicy \"%s\": compile would make it",
			((const struct clusterpol *)vec_at(&missing.clusterpols, i))->name);
	for (size_t i = 0; i < missing.ciliumpols.len; i++) {
		const struct ciliumpol *cp = vec_at(&missing.ciliumpols, i);
		const char *what = cp->ns
			? arena_printf(arena, "CiliumNetworkPolicy \"%s\" in namespace \"%s\"", cp->name, cp->ns)
			: arena_printf(arena, "CiliumClusterwideNetworkPolicy \"%s\"", cp->name);
		diag_report(diags, DIAG_VERIFY_MISSING_POLICY, path_loc(arena, dir), "missing %s: compile would make it",
			what);
	}
	return true;
}

/* The catalog as the live cluster has it: the dump's own policies in,
 * each in place of the catalog's policy of its name (and namespace): the
 * cluster holds what is in force now. */
static const struct catalog *
catalog_with(struct arena *arena, const struct catalog *catalog, struct eval_policies *own)
{
	vec_sort(&own->netpols, netpol_compare);
	vec_sort(&own->clusterpols, clusterpol_name_compare);
	struct eval_policies merged = { 0 };
	append_policies(arena, &merged, own);
	for (size_t i = 0; i < catalog->netpols.len; i++)
		if (!vec_find(&own->netpols, vec_at(&catalog->netpols, i), policy_order))
			vec_push(arena, &merged.netpols, vec_at(&catalog->netpols, i));
	for (size_t i = 0; i < catalog->clusterpols.len; i++)
		if (!vec_find(&own->clusterpols, vec_at(&catalog->clusterpols, i), clusterpol_order))
			vec_push(arena, &merged.clusterpols, vec_at(&catalog->clusterpols, i));
	vec_sort(&own->ciliumpols, ciliumpol_name_compare);
	for (size_t i = 0; i < catalog->ciliumpols.len; i++)
		if (!vec_find(&own->ciliumpols, vec_at(&catalog->ciliumpols, i), ciliumpol_order))
			vec_push(arena, &merged.ciliumpols, vec_at(&catalog->ciliumpols, i));
	vec_sort(&merged.netpols, netpol_compare);
	vec_sort(&merged.clusterpols, clusterpol_compare);
	vec_sort(&merged.ciliumpols, ciliumpol_compare);
	struct catalog *live = arena_alloc(arena, sizeof(*live));
	*live = *catalog;
	live->netpols = merged.netpols;
	live->clusterpols = merged.clusterpols;
	live->ciliumpols = merged.ciliumpols;
	return live;
}

/* A dump of the live cluster: its policies, vendorc's and its own. */
static bool
read_dump(struct arena *arena, struct diag_set *diags, const struct project_path *dir,
	const struct vec *expected, const struct catalog **catalog, struct eval_policies *policies)
{
	struct vec files = { 0 };
	struct eval_policies want = { 0 };
	struct held held = { 0 };
	if (!outdir_read_others(arena, diags, dir, catalog_file_suffixes, CATALOG_FILE_SUFFIXES, &files)
		|| !read_files(arena, diags, &files, dir->display, true, &held))
		return false;
	if (!held.dump) {
		report_no_files(diags, dir->display, expected->len);
		return false;
	}
	if (!verify_read_policies(arena, diags, expected, dir->display, &want)
		|| !report_missing_policies(arena, diags, dir->display, &want, &held.ours))
		return false;
	append_policies(arena, policies, &held.ours);
	*catalog = catalog_with(arena, *catalog, &held.own);
	return true;
}

bool
verify_read_dir(struct arena *arena, struct diag_set *diags, const struct project_path *dir,
	const struct vec *expected, const struct catalog **catalog, struct eval_policies *policies)
{
	struct vec files = { 0 };
	if (!outdir_read(arena, diags, dir, &files))
		return false;
	if (expected->len && !any_file_held(expected, &files))
		return read_dump(arena, diags, dir, expected, catalog, policies);
	report_missing_files(arena, diags, dir->display, expected, &files);
	return verify_read_policies(arena, diags, &files, dir->display, policies);
}

/* ---- the worlds ---- */

const struct catalog *
verify_probe_catalog(struct arena *arena, const struct catalog *catalog)
{
	if (!catalog->ciliumpols.len)
		return catalog;
	struct catalog *copy = arena_alloc(arena, sizeof(*copy));
	*copy = *catalog;
	copy->netpols = (struct vec){ 0 };
	vec_append(arena, &copy->netpols, &catalog->netpols);
	probe_cilium_views(arena, &catalog->ciliumpols, &copy->netpols);
	vec_sort(&copy->netpols, netpol_compare);
	return copy;
}

static struct netpol *
intended_deny(struct arena *arena, const char *ns)
{
	struct netpol *np = arena_alloc(arena, sizeof(*np));
	np->ns = ns;
	np->name = "vendorc-default-deny";
	np->ingress = np->egress = true;
	return np;
}

/* A name nobody declares, known by the addresses no range names: a rule
 * that lets a vendor reach or look up any name reaches it. */
static const char undeclared_name[] = "undeclared.vendorc.invalid";

/* The address a domain the lock does not resolve stands for: one of its
 * own in 2001:db8:5ee::/48 (documentation space, apart from the probe's
 * other addresses), from a hash of its name. The cilium backend names
 * domains, not addresses: what the proof asks is whether a name's
 * addresses, whatever they are, are reached. */
static const char stand_in_range[] = "2001:db8:5ee::/48";

bool
verify_is_stand_in(const struct net_cidr *addr)
{
	struct net_cidr range;
	net_parse_cidr(stand_in_range, &range);
	return net_cidr_contains(&range, addr);
}

static struct vec
stand_in(struct arena *arena, const char *domain)
{
	struct net_cidr *addr = arena_alloc(arena, sizeof(*addr));
	net_parse_cidr(stand_in_range, addr);
	addr->prefix = 128;
	uint64_t hash = hash_text(domain);
	for (int byte = 8; byte < 16; byte++, hash >>= 8)
		addr->addr[byte] = (uint8_t)hash;
	struct vec cidrs = { 0 };
	vec_push(arena, &cidrs, addr);
	return cidrs;
}

/* Whether a vendor has a name to look up (docs/semantics.md 3.2, backend
 * cilium): a domain, a Service by its name, or pods behind Services. */
static bool
has_names(const struct ir_vendor *vendor)
{
	for (size_t i = 0; i < vendor->flows.len; i++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, i);
		if (flow->dir == IR_EGRESS && !flow->dns
			&& (flow->kind != IR_PEER_CIDR || flow->service_host))
			return true;
	}
	return false;
}

static const struct ir_vendor *
proving_vendor(struct arena *arena, const struct ir_vendor *vendor)
{
	struct ir_vendor *copy = arena_alloc(arena, sizeof(*copy));
	*copy = *vendor;
	copy->flows = (struct vec){ 0 };
	bool names = has_names(vendor);
	for (size_t i = 0; i < vendor->flows.len; i++) {
		struct ir_flow *flow = vec_at(&vendor->flows, i);
		if (flow->dns && !names)
			continue;
		if (flow->kind == IR_PEER_DOMAIN && flow->cidrs.len == 0) {
			struct ir_flow *named = arena_alloc(arena, sizeof(*named));
			*named = *flow;
			named->cidrs = stand_in(arena, flow->domain);
			flow = named;
		}
		vec_push(arena, &copy->flows, flow);
	}
	return copy;
}

const struct ir *
verify_intent(struct arena *arena, const struct ir *ir, bool by_name)
{
	if (!by_name)
		return ir;
	struct ir *copy = arena_alloc(arena, sizeof(*copy));
	*copy = *ir;
	copy->vendors = (struct vec){ 0 };
	for (size_t i = 0; i < ir->vendors.len; i++)
		vec_push(arena, &copy->vendors, (void *)proving_vendor(arena, vec_at(&ir->vendors, i)));
	return copy;
}

void
verify_add_names(struct arena *arena, struct eval_world *world, const struct ir *ir)
{
	struct vec *unnamed = arena_alloc(arena, sizeof(*unnamed));
	probe_unnamed_addresses(arena, unnamed);
	eval_world_add_domain(world, undeclared_name, unnamed);
	for (size_t i = 0; i < ir->vendors.len; i++) {
		const struct ir_vendor *vendor = vec_at(&ir->vendors, i);
		for (size_t f = 0; f < vendor->flows.len; f++) {
			const struct ir_flow *flow = vec_at(&vendor->flows, f);
			if (flow->kind == IR_PEER_DOMAIN)
				eval_world_add_domain(world, flow->domain, &flow->cidrs);
		}
	}
}

static void
build_worlds(struct verifier *v)
{
	struct vec denies = { 0 };
	for (size_t i = 0; i < v->ir->denied_namespaces.len; i++)
		vec_push(v->arena, &denies, intended_deny(v->arena, vec_at(&v->ir->denied_namespaces, i)));
	v->after = eval_world_of_catalog(v->arena, v->catalog, v->emitted);
	verify_add_names(v->arena, v->after, v->ir);
	if (v->adversarial)
		eval_world_set_adversary(v->after);
	v->before = eval_world_of_catalog(v->arena, v->catalog, &(struct eval_policies){ .netpols = denies });
}

/* ---- the representative pods ---- */


/* ---- addresses and ports ---- */


/* ---- intent ---- */

/* ---- reporting ---- */

/* The rule of np that decided, as a path into the policy ("spec.ingress[0]")
 * with what it admits: a policy alone does not say which of its ranges let
 * an address through. */
static const char *
rule_text(struct verifier *v, const struct netpol *np, bool ingress, const struct eval_side *verdict)
{
	const struct vec *rules = ingress ? &np->ingress_rules : &np->egress_rules;
	size_t index = 0;
	while (index < rules->len && vec_at(rules, index) != verdict->rule)
		index++;
	const char *to = ingress ? "from" : "to";
	const char *what = verdict->peer ? netpol_peer_text(v->scratch, verdict->peer, np->ns)
		: arena_printf(v->scratch, "every peer");
	return arena_printf(v->scratch, "spec.%s[%zu] %s %s", ingress ? "ingress" : "egress", index, to, what);
}

/* Where a side was decided: at the peer or rule that admits, when the
 * policy was read from a file, else at the policy. */
static const struct loc *
side_loc(const struct eval_side *verdict)
{
	const struct loc *at = verdict->peer ? &verdict->peer->loc
		: verdict->rule ? &verdict->rule->loc : &verdict->by->loc;
	return at->src ? at : verdict->by->loc.src ? &verdict->by->loc : NULL;
}

/* A Cilium policy's part in a side: the rule that allowed or denied,
 * or the policy that isolates. */
static void
note_cilium_side(struct verifier *v, struct diag *d, const char *side, bool ingress,
	const struct eval_side *verdict, const struct eval_end *other)
{
	const char *kind, *name = eval_side_policy(v->scratch, verdict, &kind);
	const char *rule = eval_cilium_rule_text(v->scratch, v->after, verdict, ingress, other);
	const struct loc *at = verdict->cilium_rule ? &verdict->cilium_rule->loc : &verdict->cilium->loc;
	const struct loc *loc = at->src ? at : NULL;
	if (!rule)
		diag_note(d, loc, "%s: denied, isolated by %s \"%s\"", side, kind, name);
	else
		diag_note(d, loc, "%s: %s by %s \"%s\", %s", side, verdict->allowed ? "allowed" : "denied", kind,
			name, rule);
}

/* other: the far end of the side. */
static void
note_side(struct verifier *v, struct diag *d, bool ingress, const struct eval_side *verdict,
	const struct eval_end *other)
{
	const char *side = ingress ? "the destination's ingress" : "the source's egress";
	const char *tier = eval_tier_text(v->scratch, verdict);
	if (tier) {
		const struct clusterpol_rule *rule = verdict->cnp_rule ? verdict->cnp_rule : verdict->pass_rule;
		diag_note(d, rule->loc.src ? &rule->loc : NULL, "%s: %s", side, tier);
	}
	if (verdict->tier != EVAL_TIER_NETWORKPOLICY)
		return;
	if (verdict->cilium && !verdict->by) {
		note_cilium_side(v, d, side, ingress, verdict, other);
		return;
	}
	const struct netpol *np = verdict->by;
	if (verdict->allowed)
		diag_note(d, side_loc(verdict), "%s: allowed by NetworkPolicy \"%s/%s\", %s",
			side, np->ns, np->name, rule_text(v, np, ingress, verdict));
	else
		diag_note(d, side_loc(verdict), "%s: denied, isolated by NetworkPolicy \"%s/%s\"",
			side, np->ns, np->name);
}

static void
note_sides(struct verifier *v, struct diag *d, const struct eval_verdict *verdict,
	const struct eval_end *src, const struct eval_end *dst)
{
	note_side(v, d, false, &verdict->egress, dst);
	note_side(v, d, true, &verdict->ingress, src);
}

/* An end in a message. An outside address stands for the range that
 * admits it on side (the pod's side, which let it through; decided in
 * world): the address tried is one edge of that range, and naming it made
 * two reports of one violation that said neither which range nor which
 * rule. */
static const char *
admitted_text(struct verifier *v, struct eval_world *world, const struct eval_end *end,
	const struct eval_side *side)
{
	if (end->pod)
		return probe_end_text(v->scratch, end);
	const char *cilium = side->allowed && !side->by ? eval_cilium_peer_text(v->scratch, world, side, end) : NULL;
	if (cilium)
		return arena_printf(v->scratch, "addresses of %s", cilium);
	if (!side->isolated || !side->peer)
		return "any address";
	return arena_printf(v->scratch, "addresses in %s", netpol_peer_text(v->scratch, side->peer, NULL));
}

/* The same for an end the vendor's file grants but no rule admits: the
 * declared range that holds it. */
static const char *
declared_text(struct verifier *v, const struct eval_end *end, const struct ir_flow *flow)
{
	for (size_t i = 0; !end->pod && i < flow->cidrs.len; i++)
		if (net_cidr_contains(vec_at(&flow->cidrs, i), &end->addr))
			return arena_printf(v->scratch, "addresses in %s",
				net_format_cidr(v->scratch, vec_at(&flow->cidrs, i)));
	return probe_end_text(v->scratch, end);
}

static bool
holds_message(const struct vec *messages, const char *message)
{
	for (size_t i = 0; messages && i < messages->len; i++)
		if (strcmp(vec_at(messages, i), message) == 0)
			return true;
	return false;
}

/* Whether a violation is reported now. Gathering, never: the check's
 * distinct violations are kept (two pods of a vendor, two edges of a range
 * or two policies that select the same pods give one violation the same
 * words), as many as can matter (VERIFY_KEPT). Telling, those that tell()
 * chose, each once. */
static bool
may_report(struct verifier *v, const char *message)
{
	if (holds_message(v->found, message)
		|| (v->to_tell ? !holds_message(v->to_tell, message) : v->found->len >= VERIFY_KEPT))
		return false;
	vec_push(v->arena, v->found, arena_strdup(v->arena, message));
	return v->to_tell != NULL;
}

/* ---- the checks ---- */

static void
report_vendor(struct verifier *v, const struct ir_vendor *vendor, enum ir_direction dir,
	const struct eval_end *self, const struct eval_end *peer, const struct eval_port *port,
	const struct eval_verdict *got)
{
	const struct ir_flow *flow = probe_declared(vendor, dir, peer, port);
	const char *far = got->allowed
		? admitted_text(v, v->after, peer, dir == IR_EGRESS ? &got->egress : &got->ingress)
		: declared_text(v, peer, flow);
	const char *reach = got->allowed ? "can reach" : "cannot reach";
	const char *port_text = probe_port_text(v->scratch, port);
	const char *what = dir == IR_EGRESS
		? arena_printf(v->scratch, "vendor \"%s\" %s %s on %s", vendor->name, reach, far, port_text)
		: arena_printf(v->scratch, "%s %s vendor \"%s\" on %s", far, reach, vendor->name, port_text);
	const char *message = arena_printf(v->scratch, "%s, which %s", what,
		got->allowed ? (vendor->expired ? "an expired vendor must not" : "its file does not declare")
			: flow->dns ? "it needs to look up the names of this statement" : "its file declares");
	if (!may_report(v, message))
		return;
	struct diag *d = diag_report(v->diags, DIAG_VERIFY_VENDOR_FLOW, flow ? &flow->loc : &vendor->loc,
		"%s", message);
	bool out = dir == IR_EGRESS;
	note_sides(v, d, got, out ? self : peer, out ? peer : self);
}

/* docs/admin-tier.md 4: no admin rule can name an address on ingress, so
 * against the adversary every address reaches every pod. Said once, in a
 * note, rather than proved. */
static bool
beyond_ceiling(struct verifier *v, const struct eval_end *src)
{
	if (!v->adversarial || !v->ir->admin || src->pod)
		return false;
	v->outside_ingress_open = true;
	return true;
}

/* A port name is a container port's: a connection to an address outside
 * the cluster has none, so no policy can admit or deny it by name. */
static bool
no_such_connection(const struct eval_end *dst, const struct eval_port *port)
{
	return !dst->pod && port->name;
}

/* docs/admin-tier.md 4: destinationNamedPort carries no protocol, so the
 * ceiling passes a declared name under every protocol. A pod has one
 * container port of a name (Kubernetes keeps them unique), so the name
 * under another protocol is a port no pod has, not a widening. */
static bool
name_of_other_protocol(const struct verifier *v, const struct ir_vendor *vendor, enum ir_direction dir,
	const struct eval_end *peer, const struct eval_port *port)
{
	if (!v->ir->admin || !port->name)
		return false;
	static const enum net_proto protos[] = { NET_TCP, NET_UDP, NET_SCTP };
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		struct eval_port other = { protos[i], port->number, port->name };
		if (protos[i] != port->proto && probe_declared(vendor, dir, peer, &other))
			return true;
	}
	return false;
}

/* Two ClusterNetworkPolicies of one priority that disagree on a
 * connection: the API lets the implementation pick either. */
static void
check_conflict(struct verifier *v, const struct loc *loc, const struct eval_side *side,
	const struct eval_end *src, const struct eval_end *dst, const struct eval_port *port)
{
	const struct clusterpol *decided = side->cnp ? side->cnp : side->passed_by;
	if (!side->conflict || !decided)
		return;
	const char *message = arena_printf(v->scratch, "ClusterNetworkPolicies \"%s\" and \"%s\" share "
		"priority %d and disagree on the flow from %s to %s on %s", decided->name, side->conflict->name,
		decided->priority, probe_end_text(v->scratch, src), probe_end_text(v->scratch, dst),
		probe_port_text(v->scratch, port));
	if (!may_report(v, message))
		return;
	struct diag *d = diag_report(v->diags, DIAG_VERIFY_PRIORITY_COLLISION,
		side->conflict->loc.src ? &side->conflict->loc : loc, "%s", message);
	diag_hint(d, "the API lets an implementation apply either; give one of them another priority");
}

static void
check_conflicts(struct verifier *v, const struct loc *loc, const struct eval_verdict *verdict,
	const struct eval_end *src, const struct eval_end *dst, const struct eval_port *port)
{
	check_conflict(v, loc, &verdict->egress, src, dst, port);
	check_conflict(v, loc, &verdict->ingress, src, dst, port);
}

/* ---- lookups by name (backend cilium) ---- */

/* A name a vendor may look up, and the statement that needs it. */
struct wanted_name {
	const char *name;            /* a lock's "*.S" stands for every name one label under S */
	const struct loc *loc;
};

/* docs/semantics.md 3.2, backend cilium: its domains, each Service it
 * reaches by name, and the Services of each namespace whose pods it
 * reaches. */
static void
wanted_names(struct verifier *v, const struct ir_vendor *vendor, struct vec *out)
{
	for (size_t i = 0; i < vendor->flows.len; i++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, i);
		if (flow->dir != IR_EGRESS || flow->dns || (flow->kind == IR_PEER_CIDR && !flow->service_host))
			continue;
		struct wanted_name *want = arena_alloc(v->scratch, sizeof(*want));
		want->loc = &flow->loc;
		want->name = flow->kind == IR_PEER_DOMAIN ? flow->domain
			: flow->service_host ? arena_printf(v->scratch, "%s.%s", flow->service_host, v->ir->cluster_domain)
			: arena_printf(v->scratch, "*.%s.svc.%s", flow->pods.ns, v->ir->cluster_domain);
		vec_push(v->scratch, out, want);
	}
}

static const char *
name_text(struct verifier *v, const char *name)
{
	return strncmp(name, "*.", 2) == 0 ? arena_printf(v->scratch, "names %s", name)
		: arena_printf(v->scratch, "%s", name);
}

static void
report_lookup(struct verifier *v, const struct ir_vendor *vendor, const struct loc *loc, const char *name,
	const struct eval_end *self, const struct eval_end *resolver, const struct eval_port *port,
	const struct eval_verdict *got, bool allowed)
{
	const char *message = arena_printf(v->scratch, "vendor \"%s\" %s %s at %s on %s, which %s", vendor->name,
		allowed ? "can look up" : "cannot look up", name_text(v, name), probe_end_text(v->scratch, resolver),
		probe_port_text(v->scratch, port), allowed ? "its file does not need" : "its file needs");
	if (!may_report(v, message))
		return;
	struct diag *d = diag_report(v->diags, DIAG_VERIFY_VENDOR_LOOKUP, loc, "%s", message);
	note_sides(v, d, got, self, resolver);
	if (allowed)
		diag_hint(d, "Cilium's DNS proxy lets every lookup through on a port that an allowing rule names "
			"without DNS rules, a NetworkPolicy's included");
}

/* What a vendor's lookups are checked against, made once per vendor: the
 * names it needs, a name nobody declares and the Services of a namespace
 * it does not reach, and the vendor without its DNS flows (a resolver its
 * file grants may be asked anything). */
struct lookups {
	struct vec wanted;           /* struct wanted_name * */
	const char *refused[2];
	struct ir_vendor granted;
};

static void
lookups_of(struct verifier *v, const struct ir_vendor *vendor, struct lookups *out)
{
	*out = (struct lookups){ .refused = { undeclared_name,
		arena_printf(v->scratch, "*.vendorc.invalid.svc.%s", v->ir->cluster_domain) }, .granted = *vendor };
	wanted_names(v, vendor, &out->wanted);
	out->granted.flows = (struct vec){ 0 };
	for (size_t f = 0; f < vendor->flows.len; f++)
		if (!((const struct ir_flow *)vec_at(&vendor->flows, f))->dns)
			vec_push(v->scratch, &out->granted.flows, vec_at(&vendor->flows, f));
}

/* One resolver of a DNS flow on one port: the names needed resolve, the
 * refused ones do not. Where the connection itself is refused, the flow
 * check has said so. */
static void
check_resolver(struct verifier *v, const struct ir_vendor *vendor, const struct lookups *lookups,
	const struct ir_flow *flow, const struct eval_end *self, const struct eval_end *resolver,
	const struct eval_port *port)
{
	struct eval_verdict got;
	for (size_t n = 0; n < lookups->wanted.len; n++) {
		const struct wanted_name *want = vec_at(&lookups->wanted, n);
		if (!eval_lookup(v->after, self, resolver, port, want->name, &got) && got.allowed)
			report_lookup(v, vendor, want->loc, want->name, self, resolver, port, &got, false);
	}
	if (probe_declared(&lookups->granted, IR_EGRESS, resolver, port))
		return;
	for (size_t n = 0; n < sizeof(lookups->refused) / sizeof(lookups->refused[0]); n++)
		if (eval_lookup(v->after, self, resolver, port, lookups->refused[n], &got))
			report_lookup(v, vendor, &flow->loc, lookups->refused[n], self, resolver, port, &got, true);
}

/* At each resolver a DNS flow of the vendor names, on each of its ports. */
static void
check_lookups(struct verifier *v, const struct ir_vendor *vendor, const struct lookups *lookups,
	const struct eval_end *self, const struct vec *ends)
{
	for (size_t f = 0; f < vendor->flows.len; f++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, f);
		for (size_t e = 0; flow->dns && e < ends->len; e++) {
			const struct eval_end *resolver = vec_at(ends, e);
			for (size_t p = 0; p < flow->ports.len && probe_flow_names(flow, resolver); p++) {
				const struct ir_port *ip = vec_at(&flow->ports, p);
				check_resolver(v, vendor, lookups, flow, self, resolver,
					&(struct eval_port){ ip->proto, ip->port, ip->name });
			}
		}
	}
}

static void
check_vendor_pod(struct verifier *v, const struct ir_vendor *vendor, const struct eval_pod *pod,
	const struct vec *ends, const struct vec *ports)
{
	struct eval_end self = { .pod = pod };
	/* the pod as its own far end stands for another pod of the same
	 * labels, which a policy cannot tell from it */
	for (size_t e = 0; e < ends->len; e++) {
		const struct eval_end *peer = vec_at(ends, e);
		for (size_t p = 0; p < ports->len; p++) {
			const struct eval_port *port = vec_at(ports, p);
			struct eval_verdict out, in;
			eval_connection(v->after, &self, peer, port, &out);
			eval_connection(v->after, peer, &self, port, &in);
			check_conflicts(v, &vendor->loc, &out, &self, peer, port);
			check_conflicts(v, &vendor->loc, &in, peer, &self, port);
			if (!no_such_connection(peer, port) && !name_of_other_protocol(v, vendor, IR_EGRESS, peer, port)
				&& out.allowed != (probe_declared(vendor, IR_EGRESS, peer, port) != NULL))
				report_vendor(v, vendor, IR_EGRESS, &self, peer, port, &out);
			if (beyond_ceiling(v, peer) || name_of_other_protocol(v, vendor, IR_INGRESS, peer, port))
				continue;
			if (in.allowed != (probe_declared(vendor, IR_INGRESS, peer, port) != NULL))
				report_vendor(v, vendor, IR_INGRESS, &self, peer, port, &in);
		}
	}
}

static void
push_pick(struct verifier *v, struct vec *picks, const char *ns, const struct selector *sel)
{
	struct probe_pick *pick = arena_alloc(v->scratch, sizeof(*pick));
	*pick = (struct probe_pick){ ns, sel };
	vec_push(v->scratch, picks, pick);
}

/* The pods elsewhere that tell something about the vendor (with those
 * without labels): those of its own namespace, those a flow of the vendor
 * names, and those a rule in the vendor's namespace names, in any
 * namespace (what a rule too wide would reach; a peer without a
 * podSelector names every pod). The many other pods of a shared namespace,
 * which only other vendors' flows name, add nothing to this vendor's
 * check. */
static void
vendor_picks(struct verifier *v, const struct ir_vendor *vendor, struct vec *picks)
{
	push_pick(v, picks, vendor->pods.ns, NULL);
	for (size_t f = 0; f < vendor->flows.len; f++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, f);
		if (flow->kind == IR_PEER_PODS)
			push_pick(v, picks, flow->pods.ns, &flow->pods.pods);
	}
	struct netpol *const *policies;
	size_t count;
	probe_policies(v->probe, vendor->pods.ns, &policies, &count);
	for (size_t i = 0; i < count; i++) {
		const struct vec *lists[] = { &policies[i]->ingress_rules, &policies[i]->egress_rules };
		for (size_t l = 0; l < 2; l++)
			for (size_t r = 0; r < lists[l]->len; r++) {
				const struct netpol_rule *rule = vec_at(lists[l], r);
				for (size_t k = 0; k < rule->peers.len; k++) {
					const struct netpol_peer *peer = vec_at(&rule->peers, k);
					if (!peer->has_cidr)
						push_pick(v, picks, NULL,
							peer->has_pod_selector ? &peer->pod_selector : NULL);
				}
			}
	}
}

/* docs/semantics.md 3: the vendor's pods reach exactly what it declares and are
 * reached exactly by its sources; expired, nothing at all. */
static void
check_vendor(struct verifier *v, const struct ir_vendor *vendor)
{
	struct vec namespaces = { 0 }, ends = { 0 }, ports = { 0 }, picks = { 0 };
	vec_push(v->scratch, &namespaces, (void *)vendor->pods.ns);
	for (size_t f = 0; f < vendor->flows.len; f++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, f);
		if (flow->kind == IR_PEER_PODS)
			vec_push(v->scratch, &namespaces, (void *)flow->pods.ns);
		probe_flow_ports(v->probe, &ports, flow);
	}
	/* Ports the policies of the vendor's own namespace open: every port
	 * its pods can send on or be reached on is among them. */
	struct vec own = { .items = namespaces.items, .len = 1, .cap = 1 };
	probe_fresh_ports(v->probe, &ports);
	probe_policy_ports(v->probe, &ports, &own);
	probe_unique_ports(&ports);
	vendor_picks(v, vendor, &picks);
	probe_far_ends_picked(v->probe, &namespaces, &picks, &ends);
	struct eval_pod *const *pods;
	size_t count;
	struct lookups lookups;
	if (v->by_name)
		lookups_of(v, vendor, &lookups);
	probe_pods(v->probe, vendor->pods.ns, &pods, &count);
	for (size_t i = 0; i < count; i++) {
		const struct eval_pod *pod = pods[i];
		if (probe_vendor_of(v->probe, pod) != vendor)
			continue;
		check_vendor_pod(v, vendor, pod, &ends, &ports);
		if (v->by_name)
			check_lookups(v, vendor, &lookups, &(struct eval_end){ .pod = pod }, &ends);
	}
}

static void
report_other(struct verifier *v, const struct loc *loc, const struct eval_end *src,
	const struct eval_end *dst, const struct eval_port *port, const struct eval_verdict *before,
	const struct eval_verdict *after)
{
	const struct eval_verdict *allowing = after->allowed ? after : before;
	struct eval_world *world = after->allowed ? v->after : v->before;
	const char *message = arena_printf(v->scratch,
		"the flow from %s to %s on %s is %s, but the catalog and the default-deny %s it",
		admitted_text(v, world, src, &allowing->ingress), admitted_text(v, world, dst, &allowing->egress),
		probe_port_text(v->scratch, port), after->allowed ? "allowed" : "denied",
		before->allowed ? "allow" : "deny");
	if (!may_report(v, message))
		return;
	note_sides(v, diag_report(v->diags, DIAG_VERIFY_OTHER_FLOW, loc, "%s", message), after, src, dst);
}

/* A flow neither end of which is a vendor's pod (the caller sees to it)
 * must be as the catalog and the default-deny make it, whatever was
 * emitted. */
static void
compare_flow(struct verifier *v, const struct loc *loc, const struct eval_end *src,
	const struct eval_end *dst, const struct eval_port *port)
{
	struct eval_verdict before, after;
	if ((dst->pod && beyond_ceiling(v, src)) || no_such_connection(dst, port))
		return;
	eval_connection(v->before, src, dst, port, &before);
	eval_connection(v->after, src, dst, port, &after);
	check_conflicts(v, loc, &after, src, dst, port);
	if (before.allowed != after.allowed)
		report_other(v, loc, src, dst, port, &before, &after);
}

/* The pods of namespace ns that np selects (all of ns when np is NULL),
 * against the far ends and ports given, in np's directions (both);
 * violations are reported at loc. */
static void
check_region(struct verifier *v, const char *ns, const struct netpol *np, const struct loc *loc,
	const struct vec *ends, const struct vec *ports)
{
	struct vec region = { 0 };
	probe_pods_picked(v->probe, ns, np ? &np->pod_selector : NULL, &region);
	size_t kept = 0;
	for (size_t i = 0; i < region.len; i++)
		if (!probe_vendor_of(v->probe, vec_at(&region, i)))
			region.items[kept++] = region.items[i];
	region.len = kept;
	struct vec others = { 0 };
	for (size_t e = 0; region.len && e < ends->len; e++)
		if (!probe_vendor_of(v->probe, ((const struct eval_end *)vec_at(ends, e))->pod))
			vec_push(v->scratch, &others, vec_at(ends, e));
	for (size_t i = 0; i < region.len; i++) {
		const struct eval_pod *pod = vec_at(&region, i);
		struct eval_end here = { .pod = pod };
		for (size_t e = 0; e < others.len; e++)
			for (size_t p = 0; p < ports->len; p++) {
				const struct eval_end *far = vec_at(&others, e);
				if (!np || np->ingress)
					compare_flow(v, loc, far, &here, vec_at(ports, p));
				if (!np || np->egress)
					compare_flow(v, loc, &here, far, vec_at(ports, p));
			}
	}
}

/* What an emitted policy can change: flows from the pods its peers name
 * (it adds allows), and, for the pods it selects, whether they are
 * isolated at all, which a pod of a namespace nobody names shows. Pods
 * its peers do not name are untouched by its rules, so they are not
 * tried again for every policy of a namespace. */
static void
check_emitted(struct verifier *v, const struct netpol *np)
{
	struct vec namespaces = { 0 }, ends = { 0 }, ports = { 0 };
	probe_peer_namespaces(v->probe, np, &namespaces);
	probe_far_ends(v->probe, &namespaces, &ends);
	probe_rule_ports(v->probe, &ports, &np->ingress_rules);
	probe_rule_ports(v->probe, &ports, &np->egress_rules);
	probe_fresh_ports(v->probe, &ports);
	probe_unique_ports(&ports);
	check_region(v, np->ns, np, np->loc.src ? &np->loc : NULL, &ends, &ports);
}

static int
compare_homes(const void *a, const void *b)
{
	const struct home *x = *(const struct home *const *)a, *y = *(const struct home *const *)b;
	int by_ns = strcmp(x->ns, y->ns);
	return by_ns ? by_ns : (x->order > y->order) - (x->order < y->order);
}

static int
home_ns_order(const void *key, const void *item)
{
	return strcmp(key, ((const struct home *)item)->ns);
}

/* Sorted once: a lookup per default-denied namespace through the vendors
 * was quadratic, a tenth of check at 10,000 vendors. */
static void
index_homes(struct verifier *v)
{
	struct home *homes = arena_array(v->arena, v->ir->vendors.len, sizeof(*homes));
	for (size_t i = 0; i < v->ir->vendors.len; i++) {
		const struct ir_vendor *vendor = vec_at(&v->ir->vendors, i);
		homes[i] = (struct home){ vendor->pods.ns, i, &vendor->loc };
		vec_push(v->arena, &v->homes, &homes[i]);
	}
	vec_sort(&v->homes, compare_homes);
}

static const struct loc *
vendor_loc_in(const struct verifier *v, const char *ns)
{
	const struct home *home = vec_find(&v->homes, ns, home_ns_order);
	return home ? home->loc : NULL;
}

/* A default-denied namespace: its other pods as the catalog and the
 * default-deny alone make them, whether or not the deny was emitted. */
static void
check_denied(struct verifier *v, const char *ns)
{
	struct vec namespaces = { 0 }, ends = { 0 }, ports = { 0 };
	vec_push(v->scratch, &namespaces, (void *)ns);
	probe_far_ends(v->probe, &namespaces, &ends);
	probe_policy_ports(v->probe, &ports, &namespaces);
	probe_fresh_ports(v->probe, &ports);
	probe_unique_ports(&ports);
	check_region(v, ns, NULL, vendor_loc_in(v, ns), &ends, &ports);
}

/* Each check's pods, ports and ends are its own: made in an arena of
 * their own and freed after it, so that ten thousand checks do not pile
 * up what each needed only while it ran. */
static void
begin_check(struct verifier *v)
{
	v->scratch = arena_create();
	probe_set_scratch(v->probe, v->scratch);
}

static void
end_check(struct verifier *v)
{
	probe_set_scratch(v->probe, v->arena);
	arena_destroy(v->scratch);
	v->scratch = NULL;
}

/* The checks, in the order their violations are told: each vendor, each
 * emitted policy (not against the adversary, which changes every open
 * namespace on purpose: only vendors and default-denied namespaces must
 * hold against it), each default-denied namespace. */
static size_t
check_count(const struct verifier *v)
{
	return v->ir->vendors.len + (v->adversarial ? 0 : v->probed.len) + v->ir->denied_namespaces.len;
}

static void
run_check(struct verifier *v, size_t index)
{
	size_t vendors = v->ir->vendors.len, policies = v->adversarial ? 0 : v->probed.len;
	begin_check(v);
	if (index < vendors)
		check_vendor(v, vec_at(&v->ir->vendors, index));
	else if (index < vendors + policies)
		check_emitted(v, vec_at(&v->probed, index - vendors));
	else
		check_denied(v, vec_at(&v->ir->denied_namespaces, index - vendors - policies));
	end_check(v);
}

/* A thread's share of the checks, every threads-th from its own index on
 * (neighbouring checks cost alike, so the shares do too), with worlds and
 * a probe of its own: the evaluator's memos are written as it answers. */
struct shares {
	const struct verifier *base;
	size_t threads;
	struct vec *found;           /* per check */
	struct verifier *workers;    /* per thread */
};

static void
check_share(void *context, size_t share, struct arena *arena, struct arena *scratch)
{
	struct shares *shares = context;
	struct verifier *v = &shares->workers[share];
	(void)scratch;
	*v = *shares->base;
	v->arena = arena;
	build_worlds(v);
	v->probe = probe_share(arena, shares->base->probe);
	for (size_t i = share; i < check_count(v); i += shares->threads) {
		v->found = &shares->found[i];
		run_check(v, i);
	}
}

/* The violations one thread checking in order would report: each once,
 * at most VERIFY_PER_SUBJECT per check and VERIFY_IN_ALL in all; each
 * check with some runs again to report them. */
static void
tell(struct verifier *v, const struct vec *found)
{
	struct vec told = { 0 };
	for (size_t i = 0; i < check_count(v) && told.len < VERIFY_IN_ALL; i++) {
		struct vec to_tell = { 0 };
		for (size_t k = 0; k < found[i].len && to_tell.len < VERIFY_PER_SUBJECT
			&& told.len < VERIFY_IN_ALL; k++) {
			const char *message = vec_at(&found[i], k);
			if (holds_message(&told, message))
				continue;
			vec_push(v->arena, &told, (void *)message);
			vec_push(v->arena, &to_tell, (void *)message);
		}
		if (!to_tell.len)
			continue;
		v->found = &(struct vec){ 0 };
		v->to_tell = &to_tell;
		run_check(v, i);
	}
	v->to_tell = NULL;
}

bool
verify(struct arena *arena, struct diag_set *diags, const struct ir *ir,
	const struct catalog *catalog, const struct eval_policies *emitted, bool by_name, bool adversarial)
{
	struct verifier v = { .arena = arena, .diags = diags, .ir = verify_intent(arena, ir, by_name),
		.catalog = catalog, .emitted = emitted, .adversarial = adversarial, .by_name = by_name };
	build_worlds(&v);
	index_homes(&v);
	vec_append(arena, &v.probed, &emitted->netpols);
	probe_cilium_views(arena, &emitted->ciliumpols, &v.probed);
	v.probe = probe_build(arena, v.ir, verify_probe_catalog(arena, catalog), &v.probed, v.after);
	size_t checks = check_count(&v), threads = parallel_threads();
	if (threads > checks)
		threads = checks ? checks : 1;
	struct shares shares = { &v, threads, arena_array(arena, checks + 1, sizeof(struct vec)),
		arena_array(arena, threads, sizeof(struct verifier)) };
	parallel_run(arena, threads, check_share, &shares);
	bool proved = true;
	for (size_t t = 0; t < threads; t++)
		v.outside_ingress_open |= shares.workers[t].outside_ingress_open;
	for (size_t i = 0; i < checks; i++)
		proved &= shares.found[i].len == 0;
	tell(&v, shares.found);
	if (v.outside_ingress_open)
		diag_hint(diag_report(diags, DIAG_ADVERSARIAL_OUTSIDE_INGRESS, NULL, "against the adversary, "
			"ingress from outside the cluster to vendor pods and default-denied namespaces was not "
			"proved: no admin-tier rule can name an address on ingress"),
			"allow from CIDR stays the NetworkPolicy tier's alone (docs/admin-tier.md section 4)");
	return proved;
}
