#ifndef VENDORC_INIT_H
#define VENDORC_INIT_H

/* vendorc init: a project skeleton in an empty directory, and a skeleton
 * file for a new vendor. Both never overwrite anything. */

#include "vendorc/arena.h"
#include "vendorc/project.h"

#include <stdbool.h>
#include <stdint.h>

struct diag_set;

/* What a skeleton vendor file says until someone fills it in: resolve warns
 * while a vendor still carries them (code placeholder). */
extern const char init_placeholder_owner[];
extern const char init_placeholder_ticket[];
extern const char init_placeholder_justification[];
/* The expiry vendorc import writes, for a person to set: compile refuses
 * it (bad-date) rather than guess when access should end. */
extern const char init_placeholder_expires[];

/* Creates path with text; false (errno set) when it exists or the write
 * fails, which leaves no file behind. */
bool init_write_new_file(const char *path, const char *text);

/* Writes the project file at project_file (NULL: ./vendorc.yaml) and,
 * beside it, vendors/, cluster/ with a README on what to dump there, and an
 * empty vendorc.lock; nothing when any of them exists. */
bool init_project(struct arena *arena, struct diag_set *diags, const char *project_file);

/* Writes vendors/VENDOR.vendor of the project, expiring 90 days after now
 * and reviewed today. */
bool init_vendor(struct arena *arena, struct diag_set *diags, const struct project *project,
	const char *vendor, int64_t now);

#endif
