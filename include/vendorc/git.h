#ifndef VENDORC_GIT_H
#define VENDORC_GIT_H

/* git as a child process, for the commands that read a project's history
 * (history.h). It runs from an argv, never through a shell, in the work
 * tree that -C names, with the settings pinned that would change what it
 * prints (pager, colour, path quoting, signatures, the root commit's diff,
 * the log's encoding) and pathspecs taken literally, so that neither the
 * user's nor the system's configuration changes vendorc's answers. */

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct diag_set;
struct loc;
struct vec;

/* A work tree, and where in it the directory it was opened at lies. */
struct git {
	struct arena *arena;       /* what git prints is kept here */
	struct diag_set *diags;    /* and what goes wrong is reported here */
	const char *top;           /* its top level, absolute, as git names it */
	const char *prefix;        /* the directory opened, relative to top: "" or "a/b" */
};

/* Opens the work tree that holds dir. When there is none, false with
 * history-unavailable reported at loc (NULL: the command line), naming
 * what (e.g. "project file \"vendorc.yaml\""). */
bool git_open(struct arena *arena, struct diag_set *diags, const char *dir, const char *what,
	const struct loc *loc, struct git *out);

/* What a git command printed and how it ended. */
struct git_output {
	char *data;                /* standard output, NUL-terminated at len (git's own NULs kept) */
	size_t len;
	int status;                /* the exit status; 128 + the signal when killed */
	const char *error;         /* standard error's first line, "fatal: " dropped; "" when none */
};

/* Runs git with args (NULL-terminated, after the pinned options) and input
 * (len bytes; none when NULL) on its standard input. false, with io-error
 * reported, when git cannot be run or its output read; whether a status
 * other than 0 is an error is for the caller to say. */
bool git_run(const struct git *git, const char *const *args, const char *input, size_t len,
	struct git_output *out);

/* A blob to read, by its object name. */
struct git_blob {
	const char *oid;
	char *data;                /* its bytes, NUL-terminated at len; NULL when git has no such blob */
	size_t len;
};

/* Reads every blob of blobs (struct git_blob *, oid set) through one
 * `git cat-file --batch`, however many there are. */
bool git_read_blobs(const struct git *git, const struct vec *blobs);

/* The tree of commit (a full object name), written into a new private
 * temporary directory, whose path it returns; NULL with the error
 * reported. git_export_remove removes that directory and everything in
 * it (NULL: nothing to remove). */
const char *git_export(const struct git *git, const char *commit);
void git_export_remove(const char *dir);

#endif
