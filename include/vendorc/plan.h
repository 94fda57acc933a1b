#ifndef VENDORC_PLAN_H
#define VENDORC_PLAN_H

/* `vendorc plan`: what the next compile would change in the output
 * directory, compared object by object (one YAML document: kind, namespace,
 * name) between the generated files on disk and the files compiled in
 * memory. A changed NetworkPolicy is compared rule by rule (peers and
 * ports); any other object, such as a CiliumNetworkPolicy or the
 * kustomization, field by field. Changes are grouped by the vendor the
 * objects name in their vendorc.io/vendor label; objects without one
 * (default-deny, kustomization) are shared. */

#include "vendorc/report.h"

#include <stdbool.h>
#include <stdio.h>

struct arena;
struct diag_set;
struct project_path;
struct vec;

struct plan;

/* Compares old_files (the generated files in dir now) with new_files (what
 * compile would write), both struct backend_file *. NULL, with diagnostics,
 * when an old file is not YAML vendorc can read back. */
struct plan *plan_compare(struct arena *arena, struct diag_set *diags,
	const struct project_path *dir, const struct vec *old_files, const struct vec *new_files);

bool plan_has_changes(const struct plan *plan);

/* Text like `terraform plan` (+, -, ~ marks, a summary line), or one JSON
 * document with the same content. */
void plan_print(FILE *out, const struct plan *plan, enum report_format format);

#endif
