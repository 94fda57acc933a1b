#ifndef VENDORC_OUTDIR_H
#define VENDORC_OUTDIR_H

/* The output directory that compile owns (docs/semantics.md section 3). vendorc knows
 * its own files by their first line (EMIT_HEADER): it replaces and removes
 * only those, and never touches another file. */

#include "vendorc/backend.h"

#include <stdbool.h>

struct arena;
struct diag_set;
struct project_path;
struct vec;

/* Whether writing files would overwrite a file vendorc did not generate;
 * reports each such file. check, explain and plan run it; compile's
 * writer makes the same check as it compares. */
bool outdir_check(struct arena *arena, struct diag_set *diags, const struct project_path *output,
	const struct vec *files);

/* The files vendorc generated in dir (struct backend_file *, in name
 * order), as they are now: what --verify checks. */
bool outdir_read(struct arena *arena, struct diag_set *diags, const struct project_path *dir,
	struct vec *files);
/* The other files in dir whose names end in one of the suffixes (in name
 * order): what --verify reads as a dump of the live cluster. */
bool outdir_read_others(struct arena *arena, struct diag_set *diags, const struct project_path *dir,
	const char *const *suffixes, size_t suffix_count, struct vec *files);
/* The same for an output that may not exist yet (none before the first
 * compile creates it): then no files. */
bool outdir_read_present(struct arena *arena, struct diag_set *diags,
	const struct project_path *dir, struct vec *files);

/* compile's writing: makes output hold exactly the files the backend
 * makes, plus the files vendorc did not generate, after the same check as
 * outdir_check (compile needs no other). It begins before the backend runs:
 * the output is read (or, when there is none, its new tree made), and the
 * sink compares each file with the output, or writes it, on the thread
 * that made it, so the files are not all held in memory. The new tree is
 * built beside the old one and swapped in with one rename, so a crash
 * leaves the old tree or the new one, never a mix. Nothing is written when
 * nothing would change. An existing output is the directory it names
 * (through a link, or as "."): that directory is replaced, and a link to it
 * stays. NULL, with the error reported, when the output cannot be read or
 * made. */
struct outdir_writer *outdir_begin(struct arena *arena, struct diag_set *diags,
	const struct project_path *output);
/* Where the backend sends each file. */
struct backend_sink outdir_sink(struct outdir_writer *writer);
/* Ends the writing with files (struct backend_file *, the backend's): the
 * new output swapped in, or with made false (the backend failed) nothing
 * written. */
bool outdir_finish(struct outdir_writer *writer, const struct vec *files, bool made);

/* A fleet's trees (docs/fleet.md): whether dir is vendorc's to remove
 * once no cluster's output is there, as a cluster taken out of the project
 * leaves it: every entry a file vendorc generated (OURS); some of them but
 * also another entry (MIXED: left in place, and said so); none (NOT_OURS:
 * a directory of someone else's, never touched). */
enum outdir_owner { OUTDIR_NOT_OURS, OUTDIR_OURS, OUTDIR_MIXED };
enum outdir_owner outdir_owner(struct arena *arena, const char *dir);

/* Removes a tree outdir_owner found OURS: renamed aside first, so that no
 * one reads half of it, then removed. False, reported, when it cannot be. */
bool outdir_remove(struct arena *arena, struct diag_set *diags, const struct project_path *dir);

#endif
