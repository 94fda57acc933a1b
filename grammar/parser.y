/* The vendor-file grammar (docs/semantics.md section 1). Actions only build nodes with
 * their spans; meaning is the resolve pass's job. Semantic values live in
 * the compilation's arena, so no %destructor is needed: nothing a discarded
 * symbol holds must be freed. */

%require "3.8"
%define api.pure full
%define api.prefix {vendor_yy}
%define api.location.type {struct loc}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%param {void *scanner}
%parse-param {struct parse_state *state}

%code requires {
#include "state.h"
}

%code provides {
int vendor_yylex(VENDOR_YYSTYPE *value, VENDOR_YYLTYPE *loc, void *scanner);
}

%code {
#include "vendorc/limits.h"

#include <string.h>

#define YYLLOC_DEFAULT(cur, rhs, n) \
	do { \
		if (n) { \
			(cur) = YYRHSLOC(rhs, 1); \
			(cur).end_line = YYRHSLOC(rhs, n).end_line; \
			(cur).end_col = YYRHSLOC(rhs, n).end_col; \
		} else { \
			(cur) = YYRHSLOC(rhs, 0); \
			(cur).line = (cur).end_line; \
			(cur).col = (cur).end_col; \
		} \
	} while (0)

#define B (&state->builder)

static void vendor_yyerror(const struct loc *loc, void *scanner,
	struct parse_state *state, const char *message);
}

%union {
	struct ast_word word;
	struct ast_label label;
	struct ast_list list;
	struct ast_stmt *stmt;
	struct ast_scope *scope;
}

%token VENDOR "vendor" OWNER "owner" TICKET "ticket" EXPIRES "expires"
%token JUSTIFICATION "justification" REVIEWED "reviewed" CLUSTERS "clusters"
%token NEVER "never" RUNS "runs" IN "in" WHERE "where" ALLOW "allow" ON "on"
%token SERVICE "service" PODS "pods" FROM "from" PORT "port" EGRESS "egress"
%token NEWLINE "end of line"
%token <word> WORD "word" STRING "string"
%token <label> LABEL "label"

%type <word> word name keyword
%type <list> labels ports port_list opt_ports names
%type <stmt> stmt grant
%type <scope> scope

%%

file
	: seps vendor seps
	;

vendor
	: "vendor" name seps '{'     { ast_vendor_begin(B, &@1, $2); B->vendor->open = @4; state->seen_vendor = true; }
	  body '}'                   { B->vendor->close = @7; }
	;

body
	: stmts
	| stmts stmt                 { ast_vendor_add(B, $2); }
	;

stmts
	: %empty
	| stmts sep
	| stmts stmt sep             { ast_vendor_add(B, $2); }
	| stmts error sep            { yyerrok; if (state->syntax_errors > LIMIT_SYNTAX_ERRORS_PER_FILE) YYABORT; }
	;

seps
	: %empty
	| seps NEWLINE
	;

sep
	: NEWLINE
	| ';'
	;

stmt
	: "owner" STRING                     { $$ = ast_stmt(B, AST_OWNER, &@$, $2); }
	| "ticket" STRING                    { $$ = ast_stmt(B, AST_TICKET, &@$, $2); }
	| "justification" STRING             { $$ = ast_stmt(B, AST_JUSTIFICATION, &@$, $2); }
	| "expires" word                     { $$ = ast_stmt(B, AST_EXPIRES, &@$, $2); }
	| "expires" "never"                  { $$ = ast_stmt_never(ast_stmt(B, AST_EXPIRES, &@$, (struct ast_word){ "never", @2 })); }
	| "reviewed" name                    { $$ = ast_stmt(B, AST_REVIEWED, &@$, $2); }
	| scope                              { $$ = ast_stmt_on(ast_stmt(B, AST_CLUSTERS, &@$, (struct ast_word){ "clusters", @1 }), $1); }
	| "runs" "in" name                   { $$ = ast_stmt(B, AST_RUNS_IN, &@$, $3); }
	| "runs" "in" name "where" labels    { $$ = ast_stmt_labels(ast_stmt(B, AST_RUNS_IN, &@$, $3), $5); }
	| grant
	| grant "on" scope                   { $$ = ast_stmt_on($1, $3); $$->loc = @$; }
	;

scope
	: "clusters" names                   { $$ = ast_scope_names(B, &@$, $2); }
	| "clusters" "where" labels          { $$ = ast_scope_labels(B, &@$, $3); }
	;

grant
	: "allow" "service" word opt_ports   { $$ = ast_stmt_ports(ast_stmt(B, AST_ALLOW_SERVICE, &@$, $3), $4); }
	| "allow" "pods" labels "in" name ports { $$ = ast_stmt_ports(ast_stmt_labels(ast_stmt(B, AST_ALLOW_PODS, &@$, $5), $3), $6); }
	| "allow" "from" "service" word ports { $$ = ast_stmt_ports(ast_stmt(B, AST_ALLOW_FROM_SERVICE, &@$, $4), $5); }
	| "allow" "from" word ports          { $$ = ast_stmt_ports(ast_stmt(B, AST_ALLOW_FROM_CIDR, &@$, $3), $4); }
	| "egress" word ports                { $$ = ast_stmt_ports(ast_stmt(B, AST_EGRESS, &@$, $2), $3); }
	;

labels
	: LABEL                      { $$ = ast_list_first_label(B, $1); }
	| labels ',' LABEL           { $$ = ast_list_add_label(B, $1, $3); }
	;

opt_ports
	: %empty                     { $$ = (struct ast_list){ 0 }; }
	| ports
	;

ports
	: "port" port_list           { $$ = $2; }
	;

names
	: name                       { $$ = ast_list_first_word(B, $1); }
	| names ',' name             { $$ = ast_list_add_word(B, $1, $3); }
	;

port_list
	: word                       { $$ = ast_list_first_word(B, $1); }
	| port_list ',' word         { $$ = ast_list_add_word(B, $1, $3); }
	;

/* "on" came after words had been written with it (a port named on): it
 * stays a word wherever one may stand. */
word
	: WORD
	| "on"                       { $$ = ast_word(B, "on", 2, &@1); }
	;

/* A namespace or vendor may be spelled like a keyword ("in", "port"). So
 * may a review date, for resolve to say why `reviewed never` is none. */
name
	: WORD
	| keyword
	;

keyword
	: "vendor"   { $$ = ast_word(B, "vendor", 6, &@1); }
	| "owner"    { $$ = ast_word(B, "owner", 5, &@1); }
	| "ticket"   { $$ = ast_word(B, "ticket", 6, &@1); }
	| "justification" { $$ = ast_word(B, "justification", 13, &@1); }
	| "expires"  { $$ = ast_word(B, "expires", 7, &@1); }
	| "reviewed" { $$ = ast_word(B, "reviewed", 8, &@1); }
	| "clusters" { $$ = ast_word(B, "clusters", 8, &@1); }
	| "never"    { $$ = ast_word(B, "never", 5, &@1); }
	| "runs"     { $$ = ast_word(B, "runs", 4, &@1); }
	| "in"       { $$ = ast_word(B, "in", 2, &@1); }
	| "where"    { $$ = ast_word(B, "where", 5, &@1); }
	| "on"       { $$ = ast_word(B, "on", 2, &@1); }
	| "allow"    { $$ = ast_word(B, "allow", 5, &@1); }
	| "service"  { $$ = ast_word(B, "service", 7, &@1); }
	| "pods"     { $$ = ast_word(B, "pods", 4, &@1); }
	| "from"     { $$ = ast_word(B, "from", 4, &@1); }
	| "port"     { $$ = ast_word(B, "port", 4, &@1); }
	| "egress"   { $$ = ast_word(B, "egress", 6, &@1); }
	;

%%

static const char *const statement_keywords[] = {
	"owner", "ticket", "justification", "expires", "reviewed", "clusters", "runs", "allow", "egress",
};

static void
vendor_yyerror(const struct loc *loc, void *scanner, struct parse_state *state,
	const char *message)
{
	(void)scanner;
	diag_report(state->diags, DIAG_SYNTAX, loc, "%s", message);
}

static const char *
token_text(const struct parse_state *state, yysymbol_kind_t kind)
{
	if (kind == YYSYMBOL_WORD || kind == YYSYMBOL_STRING || kind == YYSYMBOL_LABEL)
		return state->last_text;
	return NULL;
}

static bool
expects(const yysymbol_kind_t *expected, int count, yysymbol_kind_t kind)
{
	for (int i = 0; i < count; i++)
		if (expected[i] == kind)
			return true;
	return false;
}

/* "unexpected word "allwo", expected a statement or "}"": the token's own
 * text where it has one, and a short list of what would have fitted. Past
 * the per-file cap further errors are dropped: the rest is noise. */
static int
yyreport_syntax_error(const yypcontext_t *ctx, void *scanner, struct parse_state *state)
{
	(void)scanner;
	state->recovering = true;
	if (++state->syntax_errors > LIMIT_SYNTAX_ERRORS_PER_FILE)
		return 0;
	yysymbol_kind_t expected[YYNTOKENS];
	int count = yypcontext_expected_tokens(ctx, expected, YYNTOKENS);
	yysymbol_kind_t got = yypcontext_token(ctx);
	const char *text = token_text(state, got);
	bool wants_statement = expects(expected, count, YYSYMBOL_ALLOW);
	char message[512];
	size_t len = 0;
	if (text && strlen(text) < 64)
		len += (size_t)snprintf(message, sizeof(message), "unexpected %s \"%s\"", yysymbol_name(got), text);
	else
		len += (size_t)snprintf(message, sizeof(message), "unexpected %s", yysymbol_name(got));
	if (wants_statement)
		snprintf(message + len, sizeof(message) - len, ", expected a statement or \"}\"");
	else
		for (int i = 0; i < count && count <= 5 && len < sizeof(message); i++)
			len += (size_t)snprintf(message + len, sizeof(message) - len, "%s%s",
				i == 0 ? ", expected " : i == count - 1 ? " or " : ", ",
				yysymbol_name(expected[i]));
	struct diag *d = diag_report(state->diags, DIAG_SYNTAX, yypcontext_location(ctx), "%s", message);
	const char *nearest = got == YYSYMBOL_WORD && text && wants_statement
		? diag_nearest(text, statement_keywords, sizeof(statement_keywords) / sizeof(*statement_keywords))
		: NULL;
	if (nearest)
		diag_hint(d, "did you mean \"%s\"?", nearest);
	if (got == YYSYMBOL_VENDOR && state->seen_vendor)
		diag_hint(d, "a file declares one vendor: give each vendor a file of its own");
	return 0;
}
