#ifndef VENDORC_GRAMMAR_STATE_H
#define VENDORC_GRAMMAR_STATE_H

/* What the scanner and the parser share while reading one vendor file. */

#include "vendorc/arena.h"
#include "vendorc/ast.h"
#include "vendorc/diag.h"

#include <stddef.h>
#include <stdint.h>

/* flex's bison bridge names the types without the parser's prefix. */
#define YYSTYPE VENDOR_YYSTYPE
#define YYLTYPE VENDOR_YYLTYPE

struct parse_state {
	struct ast_builder builder;
	struct diag_set *diags;
	uint32_t line;             /* where the scanner stands */
	uint32_t col;
	struct loc last;           /* the last token that was not a line end */
	const char *last_text;     /* text of the last token, for messages */
	size_t syntax_errors;
	/* Set by an error, cleared at the next statement boundary: the parser
	 * skips the rest of the statement then, and what it skips must not
	 * yield errors of its own. */
	bool recovering;
	bool seen_vendor;          /* for the hint on a second vendor block */
	struct vec comments;       /* struct ast_comment *, every comment in order */
};

#endif
