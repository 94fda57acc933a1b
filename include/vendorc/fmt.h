#ifndef VENDORC_FMT_H
#define VENDORC_FMT_H

/* vendorc fmt: the one canonical layout of a vendor file (docs/language.md,
 * "Canonical layout"), printed from the syntax tree with the file's comments
 * put back where they stood. Formatting never changes what a file means:
 * the tokens are the parsed ones, in their order. */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct arena;
struct ast_list;
struct ast_stmt;
struct ast_vendor;
struct diag_set;

/* A statement in its canonical form, on one line: what the output's
 * annotations and explain quote, so that they do not change with fmt. */
const char *fmt_stmt(struct arena *arena, const struct ast_stmt *stmt);
/* A statement's port list in its canonical form ("443, 8443/tcp"). */
const char *fmt_ports(struct arena *arena, const struct ast_list *ports);

/* The canonical text of a parsed vendor file, in the arena; *len its size. */
const char *fmt_vendor(struct arena *arena, const struct ast_vendor *vendor, size_t *len);

struct fmt_options {
	bool check;            /* list the files that would change; write nothing */
	bool write;            /* rewrite the files that change, in place */
	char *const *paths;    /* files or directories (every *.vendor below) */
	size_t path_count;     /* 0: standard input to standard output */
};

/* Reads and parses every file first: with any error (all reported), it
 * prints and writes nothing. Then prints the canonical text to out, or
 * with check lists on out each file that would change, or with write
 * rewrites those files. *changed: some file is not canonical. */
bool fmt_run(struct arena *arena, struct diag_set *diags, const struct fmt_options *options,
	FILE *out, bool *changed);

#endif
