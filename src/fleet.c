#include "vendorc/fleet.h"

#include "vendorc/arena.h"
#include "vendorc/ast.h"
#include "vendorc/diag.h"
#include "vendorc/project.h"
#include "vendorc/resolve.h"
#include "vendorc/selector.h"

#include <string.h>

/* The vendor's own `clusters` statement, or NULL: every cluster. */
static const struct ast_stmt *
clusters_of(const struct ast_vendor *vendor)
{
	for (const struct ast_stmt *stmt = vendor->stmts; stmt; stmt = stmt->next)
		if (stmt->kind == AST_CLUSTERS)
			return stmt;
	return NULL;
}

static bool
in_scope(struct arena *arena, const struct ast_scope *scope, const struct project *cluster)
{
	if (!scope)
		return true;
	if (scope->labels.count) {
		struct label *labels = arena_array(arena, scope->labels.count, sizeof(*labels));
		for (size_t i = 0; i < scope->labels.count; i++)
			labels[i] = (struct label){ scope->labels.labels[i].key.text, scope->labels.labels[i].value.text };
		struct selector sel = selector_from_labels(arena, labels, scope->labels.count);
		return selector_matches(&sel, cluster->cluster_labels, cluster->cluster_label_count);
	}
	for (size_t i = 0; i < scope->names.count; i++)
		if (strcmp(scope->names.words[i].text, cluster->cluster.name) == 0)
			return true;
	return false;
}

/* A scope's names and labels against the fleet: each name a cluster's
 * (else the nearest is offered), each label a label. */
static bool
check_scope(struct arena *arena, struct diag_set *diags, const struct project *fleet,
	const struct ast_scope *scope)
{
	bool ok = true;
	for (size_t l = 0; l < scope->labels.count; l++)
		ok &= resolve_check_label(diags, &scope->labels.labels[l]);
	for (size_t n = 0; n < scope->names.count; n++) {
		const struct ast_word *word = &scope->names.words[n];
		if (project_cluster_named(fleet, word->text))
			continue;
		struct diag *d = diag_report(diags, DIAG_UNKNOWN_CLUSTER, &word->loc, "no cluster \"%s\" in the project",
			word->text);
		const char *nearest = diag_nearest(word->text, project_cluster_names(arena, fleet), fleet->clusters.len);
		if (nearest)
			diag_hint(d, "did you mean \"%s\"?", nearest);
		ok = false;
	}
	return ok;
}

/* How many of the fleet's clusters both scopes take in (outer NULL: all). */
static size_t
clusters_within(struct arena *arena, const struct project *fleet, const struct ast_scope *outer,
	const struct ast_scope *scope)
{
	size_t count = 0;
	for (size_t c = 0; c < fleet->clusters.len; c++)
		count += in_scope(arena, outer, vec_at(&fleet->clusters, c))
			&& in_scope(arena, scope, vec_at(&fleet->clusters, c));
	return count;
}

static bool
check_vendor(struct arena *arena, struct diag_set *diags, const struct project *fleet,
	const struct ast_vendor *vendor)
{
	const struct ast_stmt *own = clusters_of(vendor);
	bool ok = true;
	for (const struct ast_stmt *stmt = vendor->stmts; stmt; stmt = stmt->next)
		ok &= !stmt->on || check_scope(arena, diags, fleet, stmt->on);
	if (!ok)
		return false;
	if (own && !clusters_within(arena, fleet, NULL, own->on))
		diag_hint(diag_report(diags, DIAG_NO_CLUSTER, &own->loc,
			"no cluster carries these labels: vendor \"%s\" gets access nowhere", vendor->name.text),
			"give a cluster the labels under \"clusters:\" in the project file, or name the clusters");
	for (const struct ast_stmt *stmt = vendor->stmts; own && stmt; stmt = stmt->next)
		if (stmt->kind != AST_CLUSTERS && stmt->on && !clusters_within(arena, fleet, own->on, stmt->on))
			diag_hint(diag_report(diags, DIAG_NO_CLUSTER, &stmt->on->loc,
				"none of these clusters is one of vendor \"%s\": the statement grants nothing",
				vendor->name.text), "the vendor applies where its own \"clusters\" statement says");
	return true;
}

bool
fleet_check(struct arena *arena, struct diag_set *diags, const struct project *project,
	const struct vec *vendors)
{
	bool ok = true;
	for (size_t i = 0; i < vendors->len; i++) {
		const struct ast_vendor *vendor = vec_at(vendors, i);
		if (project->clusters.len) {
			ok &= check_vendor(arena, diags, project, vendor);
			continue;
		}
		for (const struct ast_stmt *stmt = vendor->stmts; stmt; stmt = stmt->next)
			if (stmt->on) {
				diag_hint(diag_report(diags, DIAG_UNKNOWN_CLUSTER, &stmt->on->loc,
					"vendor \"%s\" names clusters, but the project has none", vendor->name.text),
					"list them under \"clusters:\" in the project file (docs/fleet.md), or remove %s",
					stmt->kind == AST_CLUSTERS ? "the statement" : "\"on clusters\"");
				ok = false;
			}
	}
	return ok;
}

bool
fleet_applies(struct arena *arena, const struct ast_vendor *vendor, const struct project *cluster)
{
	const struct ast_stmt *own = clusters_of(vendor);
	return in_scope(arena, own ? own->on : NULL, cluster);
}

/* The vendor as the cluster sees it: the statements limited to other
 * clusters left out (the tree is shared; the copy is the list's). */
static struct ast_vendor *
vendor_in(struct arena *arena, const struct ast_vendor *vendor, const struct project *cluster)
{
	struct ast_vendor *copy = arena_alloc(arena, sizeof(*copy));
	*copy = *vendor;
	struct ast_stmt **tail = &copy->stmts;
	for (const struct ast_stmt *stmt = vendor->stmts; stmt; stmt = stmt->next) {
		if (stmt->kind != AST_CLUSTERS && !in_scope(arena, stmt->on, cluster))
			continue;
		struct ast_stmt *kept = arena_alloc(arena, sizeof(*kept));
		*kept = *stmt;
		*tail = kept;
		tail = &kept->next;
	}
	*tail = NULL;
	return copy;
}

void
fleet_vendors(struct arena *arena, const struct project *cluster, const struct vec *vendors,
	struct vec *out)
{
	for (size_t i = 0; i < vendors->len; i++)
		if (fleet_applies(arena, vec_at(vendors, i), cluster))
			vec_push(arena, out, vendor_in(arena, vec_at(vendors, i), cluster));
}
