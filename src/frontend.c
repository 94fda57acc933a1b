#include "vendorc/frontend.h"

#include "vendorc/arena.h"
#include "vendorc/ast.h"
#include "vendorc/diag.h"
#include "vendorc/fswalk.h"
#include "vendorc/limits.h"
#include "vendorc/parallel.h"
#include "vendorc/project.h"

#include "state.h"
#include "parser.h"
#include "lexer.h"


static bool
check_encoding(struct diag_set *diags, const struct source *src)
{
	size_t bad = source_utf8_error(src);
	if (bad == src->len)
		return true;
	struct loc at = source_loc_at(src, bad);
	diag_report(diags, DIAG_INVALID_UTF8, &at, "invalid UTF-8 (byte 0x%02X)",
		(unsigned char)src->text[bad]);
	return false;
}

struct ast_vendor *
frontend_parse(struct arena *arena, struct diag_set *diags, const struct source *src)
{
	if (!check_encoding(diags, src))
		return NULL;
	struct parse_state state = {
		.builder = { .arena = arena, .src = src },
		.diags = diags,
		.line = 1,
		.col = 1,
	};
	size_t errors_before = diag_count(diags, DIAG_ERROR);
	yyscan_t scanner;
	if (vendor_yylex_init_extra(&state, &scanner) != 0)
		return NULL;
	YY_BUFFER_STATE buffer = vendor_yy_scan_bytes(src->text, (int)src->len, scanner);
	int status = vendor_yyparse(scanner, &state);
	vendor_yy_delete_buffer(buffer, scanner);
	vendor_yylex_destroy(scanner);
	if (status != 0 || diag_count(diags, DIAG_ERROR) != errors_before)
		return NULL;
	state.builder.vendor->comments = state.comments;
	return state.builder.vendor;
}

struct ast_vendor *
frontend_parse_file(struct arena *arena, struct diag_set *diags, const struct project_path *path)
{
	bool missing;
	struct source *src = source_read(arena, diags, path->fs, path->display,
		LIMIT_VENDOR_FILE_SIZE, NULL, &missing);
	if (missing)
		diag_report(diags, DIAG_IO_ERROR, NULL, "\"%s\" vanished while being read", path->display);
	return src ? frontend_parse(arena, diags, src) : NULL;
}

/* The files are read and parsed on every core, each into a diagnostic
 * set of its own, gathered in path order. */
struct parsing {
	const struct vec *files;           /* struct project_path * */
	struct ast_vendor **vendors;       /* by file; NULL when it has errors */
	struct diag_set **diags;           /* by file */
};

static void
parse_file(void *context, size_t index, struct arena *arena, struct arena *scratch)
{
	struct parsing *p = context;
	p->diags[index] = diag_set_create(arena);
	p->vendors[index] = frontend_parse_file(arena, p->diags[index], vec_at(p->files, index));
}

bool
frontend_load(struct arena *arena, struct diag_set *diags, const struct project *project,
	struct vec *vendors)
{
	static const char *const suffixes[] = { ".vendor" };
	struct vec files = { 0 };
	if (!fswalk_files(arena, diags, &project->vendors, suffixes, 1, &files))
		return false;
	if (files.len > LIMIT_VENDORS) {
		diag_report(diags, DIAG_LIMIT_EXCEEDED, &project->vendors.loc,
			"%zu vendor files, more than the limit of %d", files.len, LIMIT_VENDORS);
		return false;
	}
	struct parsing p = {
		.files = &files,
		.vendors = arena_array(arena, files.len, sizeof(*p.vendors)),
		.diags = arena_array(arena, files.len, sizeof(*p.diags)),
	};
	parallel_run(arena, files.len, parse_file, &p);
	bool ok = true;
	for (size_t i = 0; i < files.len; i++) {
		diag_set_absorb(diags, p.diags[i]);
		if (p.vendors[i])
			vec_push(arena, vendors, p.vendors[i]);
		else
			ok = false;
	}
	return ok;
}
