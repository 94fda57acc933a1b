#ifndef VENDORC_FSWALK_H
#define VENDORC_FSWALK_H

/* Directory trees read the same way everywhere: recursively, entries in
 * byte order (so output never depends on the order on disk), hidden
 * entries skipped, depth bounded. */

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct diag_set;
struct project_path;
struct vec;

/* Appends a struct project_path * for every regular file below dir whose
 * name ends with one of the suffixes. A dir that is a file is returned as
 * it is. I/O errors are reported; returns false then. */
bool fswalk_files(struct arena *arena, struct diag_set *diags, const struct project_path *dir,
	const char *const *suffixes, size_t suffix_count, struct vec *files);

/* The names (const char *) of dir's entries, hidden ones skipped, sorted;
 * NULL with errno set when dir cannot be read. */
struct vec *fswalk_names(struct arena *arena, const char *dir);

/* Removes path and everything below it, links not followed: a temporary
 * tree, or one vendorc made. Best effort: what cannot go stays. */
void fswalk_remove_tree(const char *path);

/* Makes every directory on the way to path, from its byte from on (the
 * part before exists): path itself too when it ends in '/'. errno says why
 * not. */
bool fswalk_make_parents(char *path, size_t from);

/* Writes all of data to fd, through short writes and signals; errno says
 * why not. */
bool fswalk_write_all(int fd, const char *data, size_t len);

/* Replaces target (a file, or a name to create) with data through a
 * temporary file beside it, synced, and a rename: a reader sees the old
 * file or the new one, never half of one. mode: the new file's permission
 * bits, or -1 for those a file created now gets (0666 less the umask).
 * False with errno set, and nothing left behind. */
bool fswalk_replace_file(struct arena *arena, const char *target, const char *data, size_t len, int mode);

#endif
