/* import --verify (import.h, docs/import.md): every connection of an
 * imported namespace's pods the probe picks, asked of the old world (the
 * policies read) and of the new one (the files compiled); each that the
 * two answer differently is a difference, which one of the file's
 * exceptions lists or import got wrong. */

#include "vendorc/import.h"

#include "vendorc/ast.h"
#include "vendorc/backend.h"
#include "vendorc/catalog.h"
#include "vendorc/ceiling.h"
#include "vendorc/diag.h"
#include "vendorc/eval.h"
#include "vendorc/frontend.h"
#include "vendorc/ir.h"
#include "vendorc/lockfile.h"
#include "vendorc/probe.h"
#include "vendorc/project.h"
#include "vendorc/resolve.h"
#include "vendorc/source.h"
#include "vendorc/verify.h"

#include <string.h>

/* One kind of difference (a file, the exception that lists it or the
 * cause it has, which way), with one connection of it and how many. */
struct difference {
	const struct import_file *file;
	const struct import_exception *listed;  /* NULL: none lists it */
	bool gained;                            /* allowed now, denied before */
	bool far;                               /* on the side of a pod no file is for */
	const char *cause;                      /* what decided it, as people read it */
	const struct loc *loc;                  /* the old policy that decided, or NULL */
	const char *example;
	size_t count;
};

struct prover {
	struct arena *arena;
	struct diag_set *diags;
	const struct import_result *result;
	const struct ir *ir;
	struct eval_world *old_world;           /* the catalog with the policies read */
	struct eval_world *new_world;           /* ... without the imported namespaces', plus the files */
	struct probe *probe;
	struct vec differences;                 /* struct difference *, as first met */
};

/* ---- the worlds ---- */

static bool
is_read(const struct import_result *result, const struct netpol *np)
{
	for (size_t i = 0; i < result->policies.len; i++) {
		const struct netpol *read = vec_at(&result->policies, i);
		if (strcmp(read->ns, np->ns) == 0 && strcmp(read->name, np->name) == 0)
			return true;
	}
	return false;
}

static bool
is_read_cilium(const struct import_result *result, const struct ciliumpol *cp)
{
	for (size_t i = 0; cp->ns && i < result->ciliumpols.len; i++) {
		const struct ciliumpol *read = vec_at(&result->ciliumpols, i);
		if (strcmp(read->ns, cp->ns) == 0 && strcmp(read->name, cp->name) == 0)
			return true;
	}
	return false;
}

static const struct import_file *
file_of(const struct import_result *result, const char *ns)
{
	for (size_t i = 0; ns && i < result->files.len; i++) {
		const struct import_file *file = vec_at(&result->files, i);
		if (strcmp(file->ns, ns) == 0)
			return file;
	}
	return NULL;
}

/* The catalog as the cluster is today: a policy read stands in for the
 * catalog's of the same namespace and name (a dump of the same cluster
 * may hold it too). */
static struct catalog *
old_catalog(struct arena *arena, const struct catalog *catalog, const struct import_result *result)
{
	struct catalog *old = arena_alloc(arena, sizeof(*old));
	*old = *catalog;
	old->netpols = (struct vec){ 0 };
	for (size_t i = 0; i < catalog->netpols.len; i++)
		if (!is_read(result, vec_at(&catalog->netpols, i)))
			vec_push(arena, &old->netpols, vec_at(&catalog->netpols, i));
	vec_append(arena, &old->netpols, &result->policies);
	vec_sort(&old->netpols, netpol_compare);
	old->ciliumpols = (struct vec){ 0 };
	for (size_t i = 0; i < catalog->ciliumpols.len; i++)
		if (!is_read_cilium(result, vec_at(&catalog->ciliumpols, i)))
			vec_push(arena, &old->ciliumpols, vec_at(&catalog->ciliumpols, i));
	vec_append(arena, &old->ciliumpols, &result->ciliumpols);
	vec_sort(&old->ciliumpols, ciliumpol_compare);
	return old;
}

static struct catalog *
new_catalog(struct arena *arena, const struct catalog *old, const struct import_result *result)
{
	struct catalog *adopted = arena_alloc(arena, sizeof(*adopted));
	*adopted = *old;
	adopted->netpols = (struct vec){ 0 };
	for (size_t i = 0; i < old->netpols.len; i++) {
		const struct netpol *np = vec_at(&old->netpols, i);
		if (!file_of(result, np->ns))
			vec_push(arena, &adopted->netpols, (void *)np);
	}
	adopted->ciliumpols = (struct vec){ 0 };
	for (size_t i = 0; i < old->ciliumpols.len; i++) {
		const struct ciliumpol *cp = vec_at(&old->ciliumpols, i);
		if (!file_of(result, cp->ns))
			vec_push(arena, &adopted->ciliumpols, (void *)cp);
	}
	return adopted;
}

/* The catalog as the cluster is, and as adopting the files leaves it. */
struct worlds_catalogs {
	const struct catalog *old;
	const struct catalog *adopted;
};

static void
build(struct prover *p, const struct worlds_catalogs *catalogs, const struct eval_policies *emitted)
{
	const struct catalog *old = catalogs->old;
	p->old_world = eval_world_of_catalog(p->arena, old, NULL);
	p->new_world = eval_world_of_catalog(p->arena, catalogs->adopted, emitted);
	verify_add_names(p->arena, p->old_world, p->ir);
	verify_add_names(p->arena, p->new_world, p->ir);
	struct vec probed = { 0 };
	vec_append(p->arena, &probed, &emitted->netpols);
	probe_cilium_views(p->arena, &emitted->ciliumpols, &probed);
	p->probe = probe_build(p->arena, p->ir, verify_probe_catalog(p->arena, old), &probed, p->new_world);
}

/* ---- what lists a difference ---- */

/* Whether the far end is of the exception's peer: its range, or of a
 * Cilium policy (whose sides name no peer) the view's peer. */
static bool
peer_holds(const struct eval_world *world, const struct import_exception *e, const struct eval_end *far)
{
	if (e->range)
		return !far->pod && net_cidr_contains(e->range, &far->addr);
	const struct netpol_peer *peer = e->cilium ? e->peer : NULL;
	if (!peer)
		return true;
	if (peer->has_cidr)
		return !far->pod && net_cidr_contains(&peer->cidr, &far->addr);
	const struct label *labels;
	size_t count;
	if (!far->pod)
		return false;
	eval_namespace_labels(world, far->pod->ns, &labels, &count);
	return selector_matches(&peer->pod_selector, far->pod->labels, far->pod->label_count)
		&& selector_matches(&peer->namespace_selector, labels, count);
}

static bool
decided_by(const struct import_exception *e, const struct eval_side *side)
{
	if (e->cilium)
		return side->cilium == e->cilium && (!e->cilium_rule || e->cilium_rule == side->cilium_rule);
	return side->by == e->policy && (!e->rule || e->rule == side->rule) && (!e->peer || e->peer == side->peer);
}

/* The exception of file that lists a side the old policies allowed and
 * the new ones deny: the rule and peer that allowed it, or the
 * isolation the default-deny adds. */
static bool
far_holds(const struct import_exception *e, const struct eval_end *far, const struct eval_port *port)
{
	return e->far == IMPORT_FAR_ANY || (e->far == IMPORT_FAR_OUTSIDE ? !far->pod : port->proto != NET_TCP);
}

static const struct import_exception *
lost_by(const struct prover *p, const struct import_file *file, const struct eval_side *old_side, bool egress,
	const struct eval_end *far, const struct eval_port *port)
{
	for (size_t i = 0; i < file->exceptions.len; i++) {
		const struct import_exception *e = vec_at(&file->exceptions, i);
		if (e->kind == IMPORT_UNISOLATED ? !old_side->isolated && e->egress == egress
			: e->kind != IMPORT_WHOLE_NAMESPACE && decided_by(e, old_side) && peer_holds(p->old_world, e, far)
				&& far_holds(e, far, port))
			return e;
	}
	return NULL;
}

/* Whether the policy gave the connection to the pods it selects: one of
 * them, in self's place, was allowed it by the policy before. */
static bool
given_to_selected(struct prover *p, const struct import_exception *e, bool egress, const struct eval_end *far,
	const struct eval_port *port)
{
	struct vec picked = { 0 };
	probe_pods_picked(p->probe, e->policy->ns, &e->policy->pod_selector, &picked);
	for (size_t i = 0; i < picked.len; i++) {
		struct eval_end selected = { .pod = vec_at(&picked, i) };
		struct eval_verdict before;
		eval_connection(p->old_world, egress ? &selected : far, egress ? far : &selected, port, &before);
		const struct eval_side *side = egress ? &before.egress : &before.ingress;
		if (side->allowed && decided_by(e, side))
			return true;
	}
	return false;
}

/* The exception that lists a side allowed now and denied before: the
 * file grants its whole namespace what a policy gave some of its pods,
 * this pod is not of them, and the policy gave them this connection. */
static const struct import_exception *
gained_by(struct prover *p, const struct import_file *file, const struct eval_pod *self, bool egress,
	const struct eval_end *far, const struct eval_port *port)
{
	for (size_t i = 0; i < file->exceptions.len; i++) {
		const struct import_exception *e = vec_at(&file->exceptions, i);
		if (e->kind == IMPORT_WHOLE_NAMESPACE
			&& !selector_matches(&e->policy->pod_selector, self->labels, self->label_count)
			&& given_to_selected(p, e, egress, far, port))
			return e;
	}
	return NULL;
}

/* ---- the differences ---- */

/* "denied before (ingress isolated by billing/deny, and no policy
 * admits it), allowed now (ingress allowed by billing/vendorc-...)" */
static const char *
side_cause(struct prover *p, const struct eval_side *old_side, const struct eval_side *new_side, bool egress)
{
	const char *dir = egress ? "egress" : "ingress";
	return arena_printf(p->arena, "%s before (%s %s), %s now (%s %s)", old_side->allowed ? "allowed" : "denied", dir,
		eval_side_text(p->arena, old_side), new_side->allowed ? "allowed" : "denied", dir,
		eval_side_text(p->arena, new_side));
}

static void
note(struct prover *p, const struct import_file *file, const struct import_exception *listed, bool gained,
	bool far, const char *cause, const struct loc *loc, const char *example)
{
	for (size_t i = 0; i < p->differences.len; i++) {
		struct difference *d = vec_at(&p->differences, i);
		if (d->file == file && d->listed == listed && d->gained == gained
			&& (listed || strcmp(d->cause, cause) == 0)) {
			d->count++;
			return;
		}
	}
	struct difference *d = arena_alloc(p->arena, sizeof(*d));
	*d = (struct difference){ file, listed, gained, far, cause, loc, example, 1 };
	vec_push(p->arena, &p->differences, d);
}

/* Whether the new side allows the connection by the DNS access compile
 * adds to every vendor, which the policies need not have said. */
static bool
compile_dns(const struct prover *p, const struct import_file *file, bool egress, const struct eval_end *far,
	const struct eval_port *port)
{
	const struct ir_vendor *vendor = ir_vendor_named(p->ir, file->vendor);
	const struct ir_flow *flow = vendor ? probe_declared(vendor, egress ? IR_EGRESS : IR_INGRESS, far, port) : NULL;
	return flow && flow->dns;
}

/* A side the two worlds answer differently. The side of an imported
 * namespace's pod is for its file's exceptions; a far side elsewhere
 * changes only as the file's grants open it, which nothing lists. */
static void
side_differs(struct prover *p, const struct eval_side *old_side, const struct eval_side *new_side, bool egress,
	const struct eval_end *self, const struct eval_end *far, const struct eval_port *port, const char *example)
{
	const struct import_file *file = file_of(p->result, self->pod ? self->pod->ns : NULL);
	bool gained = new_side->allowed;
	if (file && gained && compile_dns(p, file, egress, far, port))
		return;
	const struct import_exception *listed = !file ? NULL : gained ? gained_by(p, file, self->pod, egress, far, port)
		: lost_by(p, file, old_side, egress, far, port);
	const struct loc *loc = old_side->by ? &old_side->by->loc : old_side->cilium ? &old_side->cilium->loc : NULL;
	note(p, file ? file : file_of(p->result, far->pod ? far->pod->ns : NULL), listed, gained, !file,
		side_cause(p, old_side, new_side, egress), loc, example);
}

static void
compare(struct prover *p, const struct eval_end *src, const struct eval_end *dst, const struct eval_port *port)
{
	struct eval_verdict before, after;
	eval_connection(p->old_world, src, dst, port, &before);
	eval_connection(p->new_world, src, dst, port, &after);
	if (before.allowed == after.allowed)
		return;
	const char *example = arena_printf(p->arena, "%s to %s on %s", probe_end_text(p->arena, src),
		probe_end_text(p->arena, dst), probe_port_text(p->arena, port));
	if (before.egress.allowed != after.egress.allowed)
		side_differs(p, &before.egress, &after.egress, true, src, dst, port, example);
	if (before.ingress.allowed != after.ingress.allowed)
		side_differs(p, &before.ingress, &after.ingress, false, dst, src, port, example);
}

/* ---- a file ---- */

/* The namespaces the old policies and the file name, with the file's own
 * and kube-system (DNS) first. */
static void
file_namespaces(struct prover *p, const struct import_file *file, const struct ir_vendor *vendor, struct vec *out)
{
	vec_push_unique_string(p->arena, out, file->ns);
	vec_push_unique_string(p->arena, out, "kube-system");
	struct vec named = { 0 };
	for (size_t i = 0; i < p->result->policies.len; i++) {
		const struct netpol *np = vec_at(&p->result->policies, i);
		if (strcmp(np->ns, file->ns) == 0)
			probe_peer_namespaces(p->probe, np, &named);
	}
	for (size_t i = 0; i < p->result->ciliumpols.len; i++) {
		const struct ciliumpol *cp = vec_at(&p->result->ciliumpols, i);
		const struct netpol *view = strcmp(cp->ns, file->ns) == 0 ? probe_cilium_view(p->arena, cp) : NULL;
		if (view)
			probe_peer_namespaces(p->probe, view, &named);
	}
	for (size_t f = 0; vendor && f < vendor->flows.len; f++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, f);
		if (flow->kind == IR_PEER_PODS)
			vec_push(p->arena, &named, (void *)flow->pods.ns);
	}
	for (size_t i = 0; i < named.len; i++)
		vec_push_unique_string(p->arena, out, vec_at(&named, i));
}

static void
prove_file(struct prover *p, const struct import_file *file)
{
	const struct ir_vendor *vendor = ir_vendor_named(p->ir, file->vendor);
	struct vec namespaces = { 0 }, ends = { 0 }, ports = { 0 };
	file_namespaces(p, file, vendor, &namespaces);
	for (size_t f = 0; vendor && f < vendor->flows.len; f++)
		probe_flow_ports(p->probe, &ports, vec_at(&vendor->flows, f));
	probe_fresh_ports(p->probe, &ports);
	probe_policy_ports(p->probe, &ports, &namespaces);
	probe_unique_ports(&ports);
	probe_far_ends(p->probe, &namespaces, &ends);
	struct eval_pod *const *pods;
	size_t count;
	probe_pods(p->probe, file->ns, &pods, &count);
	for (size_t i = 0; i < count; i++) {
		struct eval_end self = { .pod = pods[i] };
		/* the pod as its own far end is two pods of the same labels, which
		 * the policies tell apart no more than the evaluator does */
		for (size_t e = 0; e < ends.len; e++) {
			const struct eval_end *far = vec_at(&ends, e);
			for (size_t k = 0; k < ports.len; k++) {
				const struct eval_port *port = vec_at(&ports, k);
				/* a port's name is a container's: an address outside has none */
				if (!far->pod && port->name)
					continue;
				compare(p, &self, far, port);
				/* a pod of the namespace is self in its turn: each way once */
				if (!far->pod || strcmp(far->pod->ns, file->ns) != 0)
					compare(p, far, &self, port);
			}
		}
	}
}

/* ---- telling ---- */

static size_t
tell_file(struct prover *p, const struct import_file *file, FILE *out)
{
	size_t listed = 0, unlisted = 0;
	for (size_t i = 0; i < p->differences.len; i++) {
		const struct difference *d = vec_at(&p->differences, i);
		if (d->file == file)
			*(d->listed ? &listed : &unlisted) += 1;
	}
	fprintf(out, "%s (namespace %s): %s\n", file->vendor, file->ns, unlisted
		? "not proved: the file changes access it does not list"
		: listed ? "proved: the same access as the policies, but for what the file lists:"
		: "proved: the same access as the policies");
	for (size_t i = 0; i < p->differences.len; i++) {
		const struct difference *d = vec_at(&p->differences, i);
		if (d->file != file || !d->listed)
			continue;
		fprintf(out, "  - %s\n    %zu connection%s %s, such as %s\n", d->listed->what, d->count,
			d->count == 1 ? "" : "s", d->gained ? "allowed now, denied before" : "allowed before, denied now",
			d->example);
	}
	return unlisted;
}

static void
report_unlisted(struct prover *p, const struct difference *d)
{
	diag_hint(diag_report(p->diags, DIAG_IMPORT_CHANGED, d->loc, "%s: %s: %s, and the file does not list it "
		"(%zu connection%s like it)", d->file->vendor, d->example, d->cause, d->count, d->count == 1 ? "" : "s"),
		!d->gained ? "the file does not grant what the policy did: import the policy too, or grant it by hand"
		: d->far ? "vendorc opens both ends of a grant, and the far end's policies refused it: if that access was "
		"never meant, leave the grant out" : "the file grants what no policy did: leave the grant out");
}

/* The proof of what the files compiled to (emitted; by_name: by the
 * cilium backend, whose names the proof gives addresses of their own, as
 * verify_intent does): what each file's listed exceptions take away or
 * add is printed on out with one connection each, and a difference no
 * exception lists is an import-changed error. False when there was one. */
static bool
prove_compiled(struct arena *arena, struct diag_set *diags, const struct worlds_catalogs *catalogs,
	const struct import_result *result, const struct ir *ir, const struct eval_policies *emitted, bool by_name,
	FILE *out)
{
	struct prover p = { .arena = arena, .diags = diags, .result = result, .ir = verify_intent(arena, ir, by_name) };
	build(&p, catalogs, emitted);
	for (size_t i = 0; i < result->files.len; i++)
		prove_file(&p, vec_at(&result->files, i));
	size_t unlisted = 0;
	for (size_t i = 0; i < result->files.len; i++)
		unlisted += tell_file(&p, vec_at(&result->files, i), out);
	for (size_t i = 0; i < p.differences.len; i++) {
		const struct difference *d = vec_at(&p.differences, i);
		if (!d->listed)
			report_unlisted(&p, d);
	}
	return unlisted == 0;
}

/* ---- compiling the files for it ---- */

static struct vec *
parse_files(struct arena *arena, struct diag_set *diags, const struct import_result *result, const char *dir)
{
	struct vec *vendors = arena_alloc(arena, sizeof(*vendors));
	for (size_t i = 0; i < result->files.len; i++) {
		const struct import_file *file = vec_at(&result->files, i);
		struct source *src = source_from_text(arena, arena_printf(arena, "%s/%s.vendor", dir, file->vendor),
			file->text, file->len);
		struct ast_vendor *vendor = frontend_parse(arena, diags, src);
		for (struct ast_stmt *stmt = vendor ? vendor->stmts : NULL; stmt; stmt = stmt->next)
			stmt->is_never |= stmt->kind == AST_EXPIRES;
		if (vendor)
			vec_push(arena, vendors, vendor);
	}
	return vendors;
}

bool
import_prove(struct arena *arena, struct diag_set *diags, const struct project *project,
	const struct catalog *catalog, const struct import_result *result, const char *dir, int64_t now, FILE *out)
{
	struct diag_set *own = diag_set_create(arena);
	struct project *alone = arena_alloc(arena, sizeof(*alone));
	*alone = *project;
	alone->isolate = (struct vec){ 0 };
	struct catalog *old = old_catalog(arena, catalog, result);
	struct worlds_catalogs catalogs = { old, new_catalog(arena, old, result) };
	struct resolve_input in = { .project = alone, .vendors = parse_files(arena, own, result, dir),
		.catalog = catalogs.adopted, .now = now };
	in.lock = diag_has_errors(own) ? NULL
		: lockfile_load(arena, own, &alone->lock, alone->lock_named && resolve_names_domain(in.vendors));
	struct ir *ir = in.lock ? resolve(arena, own, &in) : NULL;
	bool by_name = alone->backend == PROJECT_BACKEND_CILIUM;
	struct vec files = { 0 };
	struct eval_policies emitted = { 0 };
	if (!ir || !ceiling_build(arena, own, alone, in.catalog, ir)
		|| !(by_name ? backend_cilium : backend_networkpolicy)(arena, own, ir, NULL, &files)
		|| !verify_read_policies(arena, own, &files, alone->output.display, &emitted)) {
		diag_set_absorb_errors(diags, own);
		return false;
	}
	return prove_compiled(arena, diags, &catalogs, result, ir, &emitted, by_name, out);
}
