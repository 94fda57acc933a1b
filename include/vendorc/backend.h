#ifndef VENDORC_BACKEND_H
#define VENDORC_BACKEND_H

/* Backends turn the IR into the files of the output directory. They read
 * only the IR and report only internal failures. */

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct diag_set;
struct ir;
struct vec;

/* One file of the output directory, held in memory until it is written. */
struct backend_file {
	const char *name;  /* a plain file name: no directory part */
	const char *data;
	size_t len;
};

/* Appends struct backend_file *: the namespace and vendor files in name
 * order, then kustomization.yaml listing them. */
bool backend_networkpolicy(struct arena *arena, struct diag_set *diags, const struct ir *ir,
	struct vec *files);

#endif
