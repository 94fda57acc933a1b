#ifndef VENDORC_PATH_H
#define VENDORC_PATH_H

/* Lexical path arithmetic for how paths are shown (docs/semantics.md
 * section 5). Lexical, not resolved: a diagnostic names a file the way the
 * user reaches it, symbolic links and all. */

#include "vendorc/arena.h"

/* path as an absolute path without ".", ".." or repeated slashes; a
 * relative path is taken from cwd (absolute). */
const char *path_absolute(struct arena *arena, const char *cwd, const char *path);

/* The absolute path target as seen from the absolute directory base: "."
 * for base itself, "../x" for a sibling. */
const char *path_relative(struct arena *arena, const char *target, const char *base);

/* How a compiler names path for a user in cwd: relative to cwd when it lies
 * inside it, absolute when it does not. */
const char *path_from_cwd(struct arena *arena, const char *cwd, const char *path);

#endif
