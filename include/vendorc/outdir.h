#ifndef VENDORC_OUTDIR_H
#define VENDORC_OUTDIR_H

/* The output directory that compile owns (SPEC section 3). vendorc knows
 * its own files by their first line (EMIT_HEADER): it replaces and removes
 * only those, and never touches another file. */

#include <stdbool.h>

struct arena;
struct diag_set;
struct project_path;
struct vec;

/* Whether writing files would overwrite a file vendorc did not generate;
 * reports each such file. compile and check both run it. */
bool outdir_check(struct arena *arena, struct diag_set *diags, const struct project_path *output,
	const struct vec *files);

/* The files vendorc generated in dir (struct backend_file *, in name
 * order), as they are now: what --verify checks. */
bool outdir_read(struct arena *arena, struct diag_set *diags, const struct project_path *dir,
	struct vec *files);

/* Makes output hold exactly files plus the files vendorc did not generate,
 * after the same check as outdir_check (compile needs no other).
 * The new tree is built beside the old one and swapped in with one
 * rename, so a crash leaves the old tree or the new one, never a mix.
 * Nothing is written when nothing would change. */
bool outdir_write(struct arena *arena, struct diag_set *diags, const struct project_path *output,
	const struct vec *files);

#endif
