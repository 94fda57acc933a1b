#ifndef VENDORC_SOURCE_H
#define VENDORC_SOURCE_H

/* A source file kept whole in memory with a table of line starts, so that
 * diagnostics can quote any line without reading the file again. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

struct source {
	const char *path;   /* as shown in diagnostics: relative to the project */
	const char *text;   /* the content, NUL-terminated, byte-order mark removed */
	size_t len;
	const uint32_t *line_starts; /* byte offset of each line; line 1 at [0] */
	size_t line_count;
	bool had_bom;       /* a byte-order mark was removed from the start */
};

/* A span in a source. Lines and columns are 1-based, columns count code
 * points, the end column is one past the last character. line == 0 means
 * the whole file; src == NULL means no file at all (the command line). */
struct loc {
	const struct source *src;
	uint32_t line;
	uint32_t col;
	uint32_t end_line;
	uint32_t end_col;
};

enum source_status {
	SOURCE_OK,
	SOURCE_NOT_FOUND,
	SOURCE_TOO_LARGE,
	SOURCE_IO_ERROR,
};

/* Reads fs_path whole. SOURCE_TOO_LARGE still gives the first max_size
 * bytes, to quote in the diagnostic. On failure *errno_out says why for
 * SOURCE_IO_ERROR. */
enum source_status source_load(struct arena *arena, const char *fs_path,
	const char *display_path, size_t max_size, struct source **out, int *errno_out);
struct source *source_from_text(struct arena *arena, const char *display_path,
	const char *text, size_t len);
/* The same without the copy: text must be NUL-terminated at len and live as
 * long as the source (text already in the arena). */
struct source *source_borrow(struct arena *arena, const char *display_path,
	const char *text, size_t len);

struct diag_set;

/* source_load that reports what went wrong: a file over the limit at its
 * first line, an I/O error at ref (where the file is named; NULL: none).
 * A missing file is left to the caller, who knows whether it may be. */
struct source *source_read(struct arena *arena, struct diag_set *diags, const char *fs_path,
	const char *display_path, size_t max_size, const struct loc *ref, bool *missing);

/* The text of a line without its line break; NULL when out of range. */
const char *source_line(const struct source *src, uint32_t line, size_t *len);

/* Bytes of the UTF-8 sequence at s (at most avail), 0 when invalid. */
size_t source_utf8_length(const unsigned char *s, size_t avail);

/* Offset of the first byte that is not valid UTF-8, or src->len. */
size_t source_utf8_error(const struct source *src);

/* The location of a byte offset, one character wide. */
struct loc source_loc_at(const struct source *src, size_t offset);

struct loc loc_file(const struct source *src);
struct loc loc_span(struct loc first, struct loc last);
/* Reading order: by file path (no file first), then line, then column. */
int loc_compare(const struct loc *a, const struct loc *b);

#endif
