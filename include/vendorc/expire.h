#ifndef VENDORC_EXPIRE_H
#define VENDORC_EXPIRE_H

/* Expiry that does not wait for the rest of the project: the expired
 * vendors' files are found in the generated output alone, from the
 * vendorc.io/vendor label and vendorc.io/expires annotation every object of
 * a vendor's file carries. So a broken vendor file or a stale catalog,
 * which stops compile, cannot keep an expired vendor's access alive. */

#include "vendorc/source.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct arena;
struct diag_set;
struct project_path;
struct vec;

/* A generated file whose every object is one vendor's, whose access has
 * ended. */
struct expire_file {
	const char *name;         /* the file's name in the output */
	const char *vendor;
	int64_t ends_at;          /* when its access ended (when.h) */
	struct loc loc;           /* the first vendorc.io/expires annotation */
};

/* The expired vendors' files among generated (struct backend_file *, as
 * outdir_read gives them) at now, appended to expired (struct expire_file *)
 * in name order. A file that does not read as YAML, or whose objects do not
 * all name the same vendor and expiry, is no vendor's and is kept. */
void expire_find(struct arena *arena, const struct project_path *output,
	const struct vec *generated, int64_t now, struct vec *expired);

/* compile and check, when the input has errors: a warning at each expired
 * vendor's file still in output, saying that `vendorc expire` removes it. */
void expire_warn(struct arena *arena, struct diag_set *diags, const struct project_path *output,
	int64_t now);

/* `vendorc expire`: removes the expired vendors' files from output and
 * their entries from its kustomization.yaml, in one swap like compile's;
 * every other file stays byte for byte. Prints what it removed. */
bool expire_output(FILE *out, struct arena *arena, struct diag_set *diags,
	const struct project_path *output, int64_t now);

#endif
