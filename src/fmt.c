#include "vendorc/fmt.h"

#include "vendorc/arena.h"
#include "vendorc/ast.h"
#include "vendorc/diag.h"
#include "vendorc/frontend.h"
#include "vendorc/fswalk.h"
#include "vendorc/limits.h"
#include "vendorc/project.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	FMT_INDENT = 4,
	/* Where header values start at the least: after "expires ", where
	 * owner, ticket and expires values always started, so that a file
	 * without reviewed or justification keeps its layout. */
	FMT_HEADER_WIDTH = 8,
};

/* Text growing in the arena. Each growth doubles, so the copies left
 * behind add up to less than the final size. Invariant: data holds len
 * bytes and a NUL, in room for cap. */
struct fmt_buf {
	struct arena *arena;
	char *data;
	size_t len;
	size_t cap;
};

static void
buf_add(struct fmt_buf *buf, const char *text, size_t len)
{
	if (buf->len + len + 1 > buf->cap) {
		size_t cap = buf->cap ? buf->cap : 64;
		while (cap < buf->len + len + 1)
			cap *= 2;
		char *grown = arena_alloc(buf->arena, cap);
		if (buf->len)
			memcpy(grown, buf->data, buf->len);
		buf->data = grown;
		buf->cap = cap;
	}
	memcpy(buf->data + buf->len, text, len);
	buf->len += len;
	buf->data[buf->len] = '\0';
}

static void
buf_puts(struct fmt_buf *buf, const char *text)
{
	buf_add(buf, text, strlen(text));
}

static void
buf_spaces(struct fmt_buf *buf, size_t count)
{
	while (count--)
		buf_add(buf, " ", 1);
}

/* The parser keeps strings unescaped; \" and \\ are the only escapes, so
 * this gives back the token as it was written. */
static void
put_string(struct fmt_buf *buf, const char *text)
{
	buf_puts(buf, "\"");
	for (const char *c = text; *c; c++) {
		if (*c == '"' || *c == '\\')
			buf_puts(buf, "\\");
		buf_add(buf, c, 1);
	}
	buf_puts(buf, "\"");
}

static void
put_labels(struct fmt_buf *buf, const struct ast_list *labels)
{
	for (size_t i = 0; i < labels->count; i++) {
		const struct ast_label *label = &labels->labels[i];
		buf_puts(buf, i ? "," : "");
		buf_puts(buf, label->key.text);
		buf_puts(buf, label->quoted ? "=\"" : "=");
		buf_puts(buf, label->value.text);
		buf_puts(buf, label->quoted ? "\"" : "");
	}
}

static void
put_word_list(struct fmt_buf *buf, const struct ast_list *ports)
{
	for (size_t i = 0; i < ports->count; i++) {
		buf_puts(buf, i ? ", " : "");
		buf_puts(buf, ports->words[i].text);
	}
}

static void
put_ports(struct fmt_buf *buf, const struct ast_list *ports)
{
	buf_puts(buf, ports->count ? " port " : "");
	put_word_list(buf, ports);
}

const char *
fmt_ports(struct arena *arena, const struct ast_list *ports)
{
	struct fmt_buf buf = { .arena = arena };
	buf_puts(&buf, "");
	put_word_list(&buf, ports);
	return buf.data;
}

/* "staging, prod-eu" or "where env=prod" */
static void
put_scope(struct fmt_buf *buf, const struct ast_scope *scope)
{
	buf_puts(buf, scope->labels.count ? "where " : "");
	put_labels(buf, &scope->labels);
	put_word_list(buf, &scope->names);
}

static void
put_on(struct fmt_buf *buf, const struct ast_scope *on)
{
	if (!on)
		return;
	buf_puts(buf, " on clusters ");
	put_scope(buf, on);
}

/* A keyword and the blanks after it: up to header_width, where a header
 * value starts, and one at the least (every other statement's words). */
static void
put_keyword(struct fmt_buf *buf, const char *keyword, size_t header_width)
{
	size_t len = strlen(keyword);
	buf_puts(buf, keyword);
	buf_spaces(buf, header_width > len ? header_width - len : 1);
}

/* Where header values start in a file: one space after the longest header
 * keyword it uses, and never before FMT_HEADER_WIDTH. */
static size_t
header_width(const struct ast_vendor *vendor)
{
	size_t width = FMT_HEADER_WIDTH;
	for (const struct ast_stmt *stmt = vendor->stmts; stmt; stmt = stmt->next) {
		size_t len = strlen(ast_stmt_kind_name(stmt->kind)) + 1;
		if (stmt->kind < AST_RUNS_IN && len > width)
			width = len;
	}
	return width;
}

static const char *
stmt_text(struct arena *arena, const struct ast_stmt *stmt, size_t header_width)
{
	struct fmt_buf buf = { .arena = arena };
	const char *keyword = ast_stmt_kind_name(stmt->kind);
	switch (stmt->kind) {
	case AST_OWNER:
	case AST_TICKET:
	case AST_JUSTIFICATION:
		put_keyword(&buf, keyword, header_width);
		put_string(&buf, stmt->arg.text);
		return buf.data;
	case AST_EXPIRES:
	case AST_REVIEWED:
		put_keyword(&buf, keyword, header_width);
		buf_puts(&buf, stmt->arg.text);
		return buf.data;
	case AST_CLUSTERS:
		put_keyword(&buf, keyword, header_width);
		put_scope(&buf, stmt->on);
		return buf.data;
	case AST_RUNS_IN:
		put_keyword(&buf, keyword, 0);
		buf_puts(&buf, stmt->arg.text);
		buf_puts(&buf, stmt->labels.count ? " where " : "");
		put_labels(&buf, &stmt->labels);
		return buf.data;
	case AST_ALLOW_PODS:
		put_keyword(&buf, keyword, 0);
		put_labels(&buf, &stmt->labels);
		buf_puts(&buf, " in ");
		buf_puts(&buf, stmt->arg.text);
		put_ports(&buf, &stmt->ports);
		put_on(&buf, stmt->on);
		return buf.data;
	case AST_ALLOW_SERVICE:
	case AST_ALLOW_FROM_SERVICE:
	case AST_ALLOW_FROM_CIDR:
	case AST_EGRESS:
		put_keyword(&buf, keyword, 0);
		buf_puts(&buf, stmt->arg.text);
		put_ports(&buf, &stmt->ports);
		put_on(&buf, stmt->on);
		return buf.data;
	case AST_STMT_KIND_COUNT:
		break;
	}
	abort();
}

const char *
fmt_stmt(struct arena *arena, const struct ast_stmt *stmt)
{
	return stmt_text(arena, stmt, FMT_HEADER_WIDTH);
}

/* A line that holds tokens: the `vendor NAME {` line, a statement or the
 * closing brace. Comments attach to the anchor they follow. */
struct fmt_anchor {
	const char *code;
	size_t indent;
	struct loc start;                   /* its first token */
	uint32_t last_line;                 /* the line of its last token */
	const struct ast_comment *comment;  /* the one at the end of its line */
	struct vec below;                   /* struct ast_comment *: comments on lines of their own after it */
};

/* An output line: code with an optional comment at its end, or a comment
 * on its own. */
struct fmt_line {
	const char *code;                   /* NULL: a comment line */
	const struct ast_comment *comment;
	size_t indent;
	bool blank_before;
	size_t comment_col;                 /* where a comment after code starts */
};

struct fmt_layout {
	struct arena *arena;
	struct vec lines;                   /* struct fmt_line * */
	uint32_t source_line;               /* the last source line laid out; 0: none */
	bool tight;                         /* no blank line before the next line */
};

static struct fmt_anchor *
anchors_of(struct arena *arena, const struct ast_vendor *vendor, size_t *count)
{
	size_t n = 2, width = header_width(vendor);
	for (const struct ast_stmt *stmt = vendor->stmts; stmt; stmt = stmt->next)
		n++;
	struct fmt_anchor *anchors = arena_array(arena, n, sizeof(*anchors));
	anchors[0] = (struct fmt_anchor){
		.code = arena_printf(arena, "vendor %s {", vendor->name.text),
		.start = vendor->loc,
		.last_line = vendor->open.line,
	};
	size_t i = 1;
	for (const struct ast_stmt *stmt = vendor->stmts; stmt; stmt = stmt->next, i++)
		anchors[i] = (struct fmt_anchor){
			.code = stmt_text(arena, stmt, width),
			.indent = FMT_INDENT,
			.start = stmt->loc,
			.last_line = stmt->loc.end_line,
		};
	anchors[i] = (struct fmt_anchor){ .code = "}", .start = vendor->close, .last_line = vendor->close.line };
	*count = n;
	return anchors;
}

/* A comment ends its line, so it follows every token on that line: it
 * belongs at the end of the last anchor that started before it, if that
 * anchor has a token on its line and no comment yet (two source lines can
 * make one output line: `vendor NAME` and `{`). Any other comment goes on
 * a line of its own, after that anchor (header comments: before all). */
static void
place_comments(struct arena *arena, const struct vec *comments, struct fmt_anchor *anchors,
	size_t count, struct vec *header)
{
	size_t before = 0;   /* anchors that start before the comment */
	for (size_t i = 0; i < comments->len; i++) {
		const struct ast_comment *comment = vec_at(comments, i);
		while (before < count && loc_compare(&anchors[before].start, &comment->loc) < 0)
			before++;
		struct fmt_anchor *last = before ? &anchors[before - 1] : NULL;
		bool same_line = last && (last->start.line == comment->loc.line
			|| last->last_line == comment->loc.line);
		if (same_line && !last->comment)
			last->comment = comment;
		else
			vec_push(arena, last ? &last->below : header, (void *)comment);
	}
}

/* At most one blank line where the source had one or more; none at the
 * start, after `{` or before `}`. */
static struct fmt_line *
layout_push(struct fmt_layout *layout, uint32_t first_line, uint32_t last_line, size_t indent)
{
	struct fmt_line *line = arena_alloc(layout->arena, sizeof(*line));
	line->indent = indent;
	line->blank_before = layout->source_line && !layout->tight
		&& first_line > layout->source_line + 1;
	if (last_line > layout->source_line)
		layout->source_line = last_line;
	layout->tight = false;
	vec_push(layout->arena, &layout->lines, line);
	return line;
}

static void
layout_comments(struct fmt_layout *layout, const struct vec *comments, size_t indent)
{
	for (size_t i = 0; i < comments->len; i++) {
		const struct ast_comment *comment = vec_at(comments, i);
		layout_push(layout, comment->loc.line, comment->loc.line, indent)->comment = comment;
	}
}

static void
layout_anchors(struct fmt_layout *layout, const struct fmt_anchor *anchors, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		bool close = i == count - 1;
		const struct fmt_anchor *anchor = &anchors[i];
		if (close)
			layout->tight = true;   /* no blank line before `}` */
		struct fmt_line *line = layout_push(layout, anchor->start.line, anchor->last_line,
			anchor->indent);
		line->code = anchor->code;
		line->comment = anchor->comment;
		layout->tight = i == 0;     /* nor after `{` */
		layout_comments(layout, &anchor->below, close ? 0 : FMT_INDENT);
	}
}

static size_t
width(const char *text)
{
	size_t chars = 0;
	for (const char *c = text; *c; c++)
		chars += ((unsigned char)*c & 0xC0) != 0x80;
	return chars;
}

static bool
has_end_comment(const struct fmt_line *line)
{
	return line->code && line->comment;
}

/* Comments at the end of consecutive lines (no blank or comment line
 * between) start in one column, one space after the longest code. */
static void
align_end_comments(const struct vec *lines)
{
	size_t i = 0;
	while (i < lines->len) {
		size_t end = i, col = 0;
		for (; end < lines->len; end++) {
			const struct fmt_line *line = vec_at(lines, end);
			if (!has_end_comment(line) || (end > i && line->blank_before))
				break;
			size_t used = line->indent + width(line->code);
			col = used > col ? used : col;
		}
		for (size_t k = i; k < end; k++)
			((struct fmt_line *)vec_at(lines, k))->comment_col = col + 1;
		i = end > i ? end : i + 1;
	}
}

/* A comment as written, without the blanks at its end. */
static void
put_comment(struct fmt_buf *buf, const struct ast_comment *comment)
{
	size_t len = comment->len;
	while (len && (comment->text[len - 1] == ' ' || comment->text[len - 1] == '\t'))
		len--;
	buf_add(buf, comment->text, len);
}

static void
print_lines(struct fmt_buf *buf, const struct vec *lines)
{
	for (size_t i = 0; i < lines->len; i++) {
		const struct fmt_line *line = vec_at(lines, i);
		buf_puts(buf, line->blank_before ? "\n" : "");
		buf_spaces(buf, line->indent);
		if (line->code) {
			buf_puts(buf, line->code);
			if (line->comment)
				buf_spaces(buf, line->comment_col - line->indent - width(line->code));
		}
		if (line->comment)
			put_comment(buf, line->comment);
		buf_puts(buf, "\n");
	}
}

const char *
fmt_vendor(struct arena *arena, const struct ast_vendor *vendor, size_t *len)
{
	size_t count;
	struct fmt_anchor *anchors = anchors_of(arena, vendor, &count);
	struct vec header = { 0 };
	place_comments(arena, &vendor->comments, anchors, count, &header);
	struct fmt_layout layout = { .arena = arena };
	layout_comments(&layout, &header, 0);
	layout_anchors(&layout, anchors, count);
	align_end_comments(&layout.lines);
	struct fmt_buf buf = { .arena = arena };
	print_lines(&buf, &layout.lines);
	*len = buf.len;
	return buf.data;
}

/* How diagnostics and --check name standard input. */
static const char stdin_name[] = "<stdin>";

/* Standard input whole, up to one byte past the limit, so that a longer
 * input is caught as a file over the limit. */
static struct ast_vendor *
parse_stdin(struct arena *arena, struct diag_set *diags)
{
	struct fmt_buf buf = { .arena = arena };
	char chunk[65536];
	size_t got;
	while (buf.len <= LIMIT_VENDOR_FILE_SIZE && (got = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		buf_add(&buf, chunk, got);
	if (ferror(stdin)) {
		diag_report(diags, DIAG_IO_ERROR, NULL, "cannot read standard input: %s", strerror(errno));
		return NULL;
	}
	size_t len = buf.len > LIMIT_VENDOR_FILE_SIZE ? LIMIT_VENDOR_FILE_SIZE : buf.len;
	struct source *src = source_from_text(arena, stdin_name, buf.data ? buf.data : "", len);
	if (buf.len > LIMIT_VENDOR_FILE_SIZE) {
		struct loc at = { src, 1, 1, 1, 2 };
		diag_report(diags, DIAG_FILE_TOO_LARGE, &at, "file is larger than the limit of %d bytes",
			LIMIT_VENDOR_FILE_SIZE);
		return NULL;
	}
	return frontend_parse(arena, diags, src);
}

struct fmt_file {
	const struct project_path *path;   /* NULL: standard input */
	const struct ast_vendor *vendor;
	const char *text;                  /* the canonical text */
	size_t len;
	bool changes;
};

/* Every file named, a directory standing for each *.vendor below it;
 * appends struct fmt_file *, in the order given. */
static bool
parse_files(struct arena *arena, struct diag_set *diags, const struct fmt_options *options,
	struct vec *files)
{
	static const char *const suffixes[] = { ".vendor" };
	if (!options->path_count) {
		struct fmt_file *file = arena_alloc(arena, sizeof(*file));
		file->vendor = parse_stdin(arena, diags);
		vec_push(arena, files, file);
		return file->vendor;
	}
	struct vec paths = { 0 };
	bool ok = true;
	for (size_t i = 0; i < options->path_count; i++) {
		struct project_path named = { options->paths[i], options->paths[i], { 0 } };
		ok &= fswalk_files(arena, diags, &named, suffixes, 1, &paths);
	}
	for (size_t i = 0; i < paths.len; i++) {
		struct fmt_file *file = arena_alloc(arena, sizeof(*file));
		file->path = vec_at(&paths, i);
		file->vendor = frontend_parse_file(arena, diags, file->path);
		ok &= file->vendor != NULL;
		vec_push(arena, files, file);
	}
	return ok;
}

static bool
rewrite(struct arena *arena, struct diag_set *diags, const struct fmt_file *file)
{
	char *resolved = realpath(file->path->fs, NULL);
	const char *target = resolved ? arena_strdup(arena, resolved) : file->path->fs;
	free(resolved);
	struct stat st;
	bool ok = stat(target, &st) == 0
		&& fswalk_replace_file(arena, target, file->text, file->len, (int)(st.st_mode & 07777));
	if (!ok)
		diag_report(diags, DIAG_IO_ERROR, NULL, "cannot write \"%s\": %s", file->path->display,
			strerror(errno));
	return ok;
}

static bool
output_file(struct arena *arena, struct diag_set *diags, const struct fmt_options *options,
	const struct fmt_file *file, FILE *out)
{
	if (options->check) {
		if (file->changes)
			fprintf(out, "%s\n", file->path ? file->path->display : stdin_name);
		return true;
	}
	if (options->write)
		return !file->changes || rewrite(arena, diags, file);
	if (fwrite(file->text, 1, file->len, out) == file->len)
		return true;
	diag_report(diags, DIAG_IO_ERROR, NULL, "cannot write the output: %s", strerror(errno));
	return false;
}

bool
fmt_run(struct arena *arena, struct diag_set *diags, const struct fmt_options *options,
	FILE *out, bool *changed)
{
	struct vec files = { 0 };
	if (!parse_files(arena, diags, options, &files))
		return false;
	bool ok = true;
	for (size_t i = 0; i < files.len; i++) {
		struct fmt_file *file = vec_at(&files, i);
		const struct source *src = file->vendor->src;
		file->text = fmt_vendor(arena, file->vendor, &file->len);
		file->changes = src->had_bom || file->len != src->len
			|| memcmp(file->text, src->text, file->len) != 0;
		*changed |= file->changes;
		ok &= output_file(arena, diags, options, file, out);
	}
	return ok;
}
