#include "vendorc/fleet.h"

#include "vendorc/arena.h"
#include "vendorc/ast.h"
#include "vendorc/diag.h"
#include "vendorc/project.h"
#include "vendorc/resolve.h"
#include "vendorc/selector.h"

#include <string.h>

static const struct ast_stmt *
clusters_of(const struct ast_vendor *vendor)
{
	for (const struct ast_stmt *stmt = vendor->stmts; stmt; stmt = stmt->next)
		if (stmt->kind == AST_CLUSTERS)
			return stmt;
	return NULL;
}

/* `clusters where` labels as a selector. */
static struct selector
scope_selector(struct arena *arena, const struct ast_stmt *scope)
{
	struct label *labels = arena_array(arena, scope->labels.count, sizeof(*labels));
	for (size_t i = 0; i < scope->labels.count; i++)
		labels[i] = (struct label){ scope->labels.labels[i].key.text, scope->labels.labels[i].value.text };
	return selector_from_labels(arena, labels, scope->labels.count);
}

static bool
applies(struct arena *arena, const struct ast_stmt *scope, const struct project *cluster)
{
	if (!scope)
		return true;
	if (scope->labels.count) {
		struct selector sel = scope_selector(arena, scope);
		return selector_matches(&sel, cluster->cluster_labels, cluster->cluster_label_count);
	}
	for (size_t i = 0; i < scope->names.count; i++)
		if (strcmp(scope->names.words[i].text, cluster->cluster.name) == 0)
			return true;
	return false;
}

static bool
check_names(struct arena *arena, struct diag_set *diags, const struct project *project,
	const struct ast_stmt *scope)
{
	const char **names = arena_array(arena, project->clusters.len + 1, sizeof(*names));
	for (size_t i = 0; i < project->clusters.len; i++)
		names[i] = ((const struct project *)vec_at(&project->clusters, i))->cluster.name;
	bool ok = true;
	for (size_t n = 0; n < scope->names.count; n++) {
		const struct ast_word *word = &scope->names.words[n];
		size_t i = 0;
		while (i < project->clusters.len && strcmp(names[i], word->text) != 0)
			i++;
		if (i < project->clusters.len)
			continue;
		struct diag *d = diag_report(diags, DIAG_UNKNOWN_CLUSTER, &word->loc, "no cluster \"%s\" in the project",
			word->text);
		const char *nearest = diag_nearest(word->text, names, project->clusters.len);
		if (nearest)
			diag_hint(d, "did you mean \"%s\"?", nearest);
		ok = false;
	}
	return ok;
}

bool
fleet_check(struct arena *arena, struct diag_set *diags, const struct project *project,
	const struct vec *vendors)
{
	bool ok = true;
	for (size_t i = 0; i < vendors->len; i++) {
		const struct ast_vendor *vendor = vec_at(vendors, i);
		const struct ast_stmt *scope = clusters_of(vendor);
		if (!scope)
			continue;
		if (!project->clusters.len) {
			diag_hint(diag_report(diags, DIAG_UNKNOWN_CLUSTER, &scope->loc,
				"vendor \"%s\" names clusters, but the project has none", vendor->name.text),
				"list them under \"clusters:\" in the project file (docs/fleet.md), or remove the statement");
			ok = false;
			continue;
		}
		bool labels_ok = true;
		for (size_t l = 0; l < scope->labels.count; l++)
			labels_ok &= resolve_check_label(diags, &scope->labels.labels[l]);
		if (!labels_ok || !check_names(arena, diags, project, scope)) {
			ok = false;
			continue;
		}
		size_t clusters = 0;
		for (size_t c = 0; c < project->clusters.len; c++)
			clusters += applies(arena, scope, vec_at(&project->clusters, c));
		if (!clusters)
			diag_hint(diag_report(diags, DIAG_NO_CLUSTER, &scope->loc,
				"no cluster carries these labels: vendor \"%s\" gets access nowhere", vendor->name.text),
				"give a cluster the labels under \"clusters:\" in the project file, or name the clusters");
	}
	return ok;
}

bool
fleet_applies(struct arena *arena, const struct ast_vendor *vendor, const struct project *cluster)
{
	return applies(arena, clusters_of(vendor), cluster);
}

void
fleet_vendors(struct arena *arena, const struct project *cluster, const struct vec *vendors,
	struct vec *out)
{
	for (size_t i = 0; i < vendors->len; i++)
		if (fleet_applies(arena, vec_at(vendors, i), cluster))
			vec_push(arena, out, vec_at(vendors, i));
}
