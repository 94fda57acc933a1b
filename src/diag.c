#include "vendorc/diag.h"

#include "vendorc/arena.h"
#include "vendorc/json.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { EXCERPT_WIDTH = 120 }; /* columns quoted past the start of a span */

struct diag_note {
	struct loc loc;
	const char *message;
	struct diag_note *next;
};

struct diag {
	enum diag_code code;
	struct loc loc;
	const char *message;
	const char *hint;
	struct diag_note *notes;
	struct diag_note **notes_tail;
	size_t seq; /* report order, to keep the sort stable */
	struct diag_set *set;
	struct diag_note *clusters; /* a fleet's: the note naming the clusters it arose in */
	const char *cluster_names;  /* their names, ", " between */
};

struct diag_set {
	struct arena *arena;
	struct vec diags;
	struct text_table by_text;  /* the diagnostics a fleet's clusters reported, by diag_text */
	size_t counts[DIAG_FATAL + 1];
	size_t code_counts[DIAG_CODE_COUNT];
};

static const struct {
	const char *name;
	enum diag_severity severity;
} diag_table[] = {
#define DIAG_ROW(name, text, severity) { text, severity },
	DIAG_CODES(DIAG_ROW)
#undef DIAG_ROW
};

static const char *const severity_names[] = {
	[DIAG_NOTE] = "note", [DIAG_WARNING] = "warning",
	[DIAG_ERROR] = "error", [DIAG_FATAL] = "error",
};

/* Escape sequences around the parts of a text diagnostic: gcc's colours
 * on a terminal (the place bold, the severity in its colour, the carets
 * green), nothing otherwise. */
struct palette {
	const char *place;
	const char *severity[DIAG_FATAL + 1];
	const char *caret;
	const char *hint;
	const char *reset;
};

static const struct palette plain = { "", { "", "", "", "" }, "", "", "" };
static const struct palette ansi = {
	.place = "\033[1m",
	.severity = {
		[DIAG_NOTE] = "\033[1;36m", [DIAG_WARNING] = "\033[1;35m",
		[DIAG_ERROR] = "\033[1;31m", [DIAG_FATAL] = "\033[1;31m",
	},
	.caret = "\033[1;32m",
	.hint = "\033[1;36m",
	.reset = "\033[0m",
};

struct diag_set *
diag_set_create(struct arena *arena)
{
	struct diag_set *set = arena_alloc(arena, sizeof(*set));
	set->arena = arena;
	return set;
}

/* A diagnostic of another set made set's. */
static void
adopt(struct diag_set *set, struct diag *diag)
{
	/* Renumbered in set's report order: the sort breaks ties on it. */
	diag->seq = set->diags.len;
	diag->set = set;
	vec_push(set->arena, &set->diags, diag);
	set->counts[diag_table[diag->code].severity]++;
	set->code_counts[diag->code]++;
}

static void
absorb_from(struct diag_set *set, struct diag_set *from, enum diag_severity least)
{
	for (size_t i = 0; i < from->diags.len; i++) {
		struct diag *diag = vec_at(&from->diags, i);
		if (diag_table[diag->code].severity >= least)
			adopt(set, diag);
	}
	*from = (struct diag_set){ .arena = from->arena };
}

void
diag_set_absorb(struct diag_set *set, struct diag_set *from)
{
	absorb_from(set, from, DIAG_NOTE);
}

void
diag_set_absorb_errors(struct diag_set *set, struct diag_set *from)
{
	absorb_from(set, from, DIAG_ERROR);
}

/* A diagnostic as the reader sees it: code, place, words and hint. */
static const char *
diag_text(struct arena *arena, const struct diag *diag)
{
	return arena_printf(arena, "%d %s:%u:%u %s\n%s", (int)diag->code,
		diag->loc.src ? diag->loc.src->path : "", diag->loc.line, diag->loc.col, diag->message,
		diag->hint ? diag->hint : "");
}

static void
add_note(struct diag *diag, struct diag_note *note)
{
	*diag->notes_tail = note;
	diag->notes_tail = &note->next;
}

void
diag_set_absorb_cluster(struct diag_set *set, struct diag_set *from, const char *cluster)
{
	for (size_t i = 0; i < from->diags.len; i++) {
		struct diag *diag = vec_at(&from->diags, i);
		struct diag **told = (struct diag **)text_table_at(set->arena, &set->by_text,
			diag_text(set->arena, diag));
		if (*told) {
			(*told)->cluster_names = arena_printf(set->arena, "%s, %s", (*told)->cluster_names, cluster);
			(*told)->clusters->message = arena_printf(set->arena, "in clusters %s", (*told)->cluster_names);
			continue;
		}
		diag->cluster_names = cluster;
		diag->clusters = arena_alloc(set->arena, sizeof(*diag->clusters));
		diag->clusters->message = arena_printf(set->arena, "in cluster %s", cluster);
		add_note(diag, diag->clusters);
		*told = diag;
		adopt(set, diag);
	}
	*from = (struct diag_set){ .arena = from->arena };
}

struct diag *
diag_report(struct diag_set *set, enum diag_code code, const struct loc *loc,
	const char *fmt, ...)
{
	struct diag *diag = arena_alloc(set->arena, sizeof(*diag));
	va_list args;
	va_start(args, fmt);
	diag->message = arena_vprintf(set->arena, fmt, args);
	va_end(args);
	diag->code = code;
	if (loc)
		diag->loc = *loc;
	diag->notes_tail = &diag->notes;
	diag->seq = set->diags.len;
	diag->set = set;
	vec_push(set->arena, &set->diags, diag);
	set->counts[diag_table[code].severity]++;
	set->code_counts[code]++;
	return diag;
}

void
diag_hint(struct diag *diag, const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	diag->hint = arena_vprintf(diag->set->arena, fmt, args);
	va_end(args);
}

void
diag_note(struct diag *diag, const struct loc *loc, const char *fmt, ...)
{
	struct diag_note *note = arena_alloc(diag->set->arena, sizeof(*note));
	va_list args;
	va_start(args, fmt);
	note->message = arena_vprintf(diag->set->arena, fmt, args);
	va_end(args);
	if (loc)
		note->loc = *loc;
	add_note(diag, note);
}

size_t
diag_count(const struct diag_set *set, enum diag_severity severity)
{
	return set->counts[severity];
}

size_t
diag_count_code(const struct diag_set *set, enum diag_code code)
{
	return set->code_counts[code];
}

bool
diag_has_errors(const struct diag_set *set)
{
	return set->counts[DIAG_ERROR] + set->counts[DIAG_FATAL] > 0;
}

static int
diag_compare(const void *a, const void *b)
{
	const struct diag *x = *(struct diag *const *)a;
	const struct diag *y = *(struct diag *const *)b;
	int by_place = loc_compare(&x->loc, &y->loc);
	return by_place ? by_place : (x->seq > y->seq) - (x->seq < y->seq);
}

static void
print_place(FILE *out, const struct loc *loc, const struct palette *colors)
{
	fputs(colors->place, out);
	if (!loc->src)
		fputs("vendorc:", out);
	else if (loc->line == 0)
		fprintf(out, "%s:", loc->src->path);
	else
		fprintf(out, "%s:%u:%u:", loc->src->path, loc->line, loc->col);
	fprintf(out, "%s ", colors->reset);
}

static void
print_severity(FILE *out, enum diag_severity severity, const char *message,
	const struct palette *colors)
{
	fprintf(out, "%s%s:%s %s\n", colors->severity[severity], severity_names[severity],
		colors->reset, message);
}

/* The quoted line, then carets under the span; tabs in the line are kept in
 * the caret line so that the carets stay aligned in any tab width. A line
 * is cut some way past the start of the span (a 4 KiB token would bury the
 * message), and a raw control character or a byte that is not UTF-8, which
 * would garble the terminal, shows as '?' (one column, as the scanner
 * counts it). */
static void
print_excerpt(FILE *out, const struct loc *loc, const struct palette *colors)
{
	size_t len;
	const char *line = source_line(loc->src, loc->line, &len);
	if (!line || len == 0)
		return;
	uint32_t shown = loc->col + EXCERPT_WIDTH;
	uint32_t col = 1;
	for (size_t i = 0; i < len;) {
		const unsigned char *c = (const unsigned char *)line + i;
		size_t step = source_utf8_length(c, len - i);
		if (step == 0 && (*c & 0xC0) == 0x80) {
			i++; /* a stray continuation byte has no column of its own */
			continue;
		}
		if (col++ >= shown) {
			fputs(" ...", out);
			break;
		}
		if (step == 0 || (*c < 0x20 && *c != '\t') || *c == 0x7F)
			fputc('?', out);
		else
			fwrite(c, 1, step, out);
		i += step ? step : 1;
	}
	fputc('\n', out);
	uint32_t line_end = col; /* one past the last column quoted */
	col = 1;
	for (size_t i = 0; i < len && col < loc->col; i++) {
		unsigned char c = (unsigned char)line[i];
		if ((c & 0xC0) == 0x80)
			continue;
		fputc(c == '\t' ? '\t' : ' ', out);
		col++;
	}
	uint32_t end = loc->end_line == loc->line ? loc->end_col : UINT32_MAX;
	if (end > line_end)
		end = line_end;
	fputs(colors->caret, out);
	fputc('^', out);
	for (col++; col < end; col++)
		fputc('~', out);
	fprintf(out, "%s\n", colors->reset);
}

static void
print_text(FILE *out, const struct diag *diag, const struct palette *colors)
{
	print_place(out, &diag->loc, colors);
	print_severity(out, diag_table[diag->code].severity, diag->message, colors);
	print_excerpt(out, &diag->loc, colors);
	if (diag->hint)
		fprintf(out, "    %shint:%s %s\n", colors->hint, colors->reset, diag->hint);
	for (const struct diag_note *note = diag->notes; note; note = note->next) {
		print_place(out, &note->loc, colors);
		print_severity(out, DIAG_NOTE, note->message, colors);
		print_excerpt(out, &note->loc, colors);
	}
}

static void
print_json_place(FILE *out, const struct loc *loc)
{
	fputs("\"file\":", out);
	json_string(out, loc->src ? loc->src->path : NULL);
	if (loc->line)
		fprintf(out, ",\"line\":%u,\"column\":%u,\"end_line\":%u,\"end_column\":%u",
			loc->line, loc->col, loc->end_line, loc->end_col);
}

static void
print_json(FILE *out, const struct diag *diag)
{
	fprintf(out, "{\"severity\":\"%s\",\"code\":\"%s\",",
		severity_names[diag_table[diag->code].severity], diag_table[diag->code].name);
	print_json_place(out, &diag->loc);
	fputs(",\"message\":", out);
	json_string(out, diag->message);
	if (diag->hint) {
		fputs(",\"hint\":", out);
		json_string(out, diag->hint);
	}
	fputs(",\"notes\":[", out);
	for (const struct diag_note *note = diag->notes; note; note = note->next) {
		fputc('{', out);
		print_json_place(out, &note->loc);
		fputs(",\"message\":", out);
		json_string(out, note->message);
		fputs(note->next ? "}," : "}", out);
	}
	fputs("]}\n", out);
}

/* SARIF 2.1.0, so that code-scanning pages show each diagnostic on its
 * line: one run, every code a rule, every diagnostic a result. */
static void
sarif_location(FILE *out, const struct loc *loc)
{
	fputs("{\"physicalLocation\":{\"artifactLocation\":{\"uri\":", out);
	json_string(out, loc->src->path);
	fputc('}', out);
	if (loc->line)
		fprintf(out, ",\"region\":{\"startLine\":%u,\"startColumn\":%u,\"endLine\":%u,"
			"\"endColumn\":%u}", loc->line, loc->col, loc->end_line, loc->end_col);
	fputs("}}", out);
}

static void
sarif_result(FILE *out, const struct diag *diag)
{
	static const char *const levels[] = {
		[DIAG_NOTE] = "note", [DIAG_WARNING] = "warning",
		[DIAG_ERROR] = "error", [DIAG_FATAL] = "error",
	};
	fprintf(out, "{\"ruleId\":\"%s\",\"level\":\"%s\",\"message\":{\"text\":",
		diag_table[diag->code].name, levels[diag_table[diag->code].severity]);
	const char *text = diag->hint ? arena_printf(diag->set->arena, "%s (hint: %s)", diag->message,
		diag->hint) : diag->message;
	/* A code-scanning page shows the message alone: which clusters of a
	 * fleet it is about goes there. */
	json_string(out, diag->clusters ? arena_printf(diag->set->arena, "%s (%s)", text, diag->clusters->message)
		: text);
	fputs("},\"locations\":[", out);
	if (diag->loc.src)
		sarif_location(out, &diag->loc);
	fputs("],\"relatedLocations\":[", out);
	const char *comma = "";
	for (const struct diag_note *note = diag->notes; note; note = note->next) {
		if (!note->loc.src)
			continue;
		fputs(comma, out);
		sarif_location(out, &note->loc);
		comma = ",";
	}
	fputs("]}", out);
}

static void
print_sarif(FILE *out, const struct diag_set *set)
{
	fputs("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
	      "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"vendorc\",\"version\":\"" VENDORC_VERSION "\","
	      "\"rules\":[", out);
	for (size_t i = 0; i < DIAG_CODE_COUNT; i++)
		fprintf(out, "%s{\"id\":\"%s\"}", i ? "," : "", diag_table[i].name);
	fputs("]}},\"results\":[", out);
	for (size_t i = 0; i < set->diags.len; i++) {
		if (i)
			fputc(',', out);
		sarif_result(out, vec_at(&set->diags, i));
	}
	fputs("]}]}\n", out);
}

static void
print_all(struct diag_set *set, FILE *out, enum diag_format format)
{
	if (format == DIAG_FORMAT_SARIF) {
		print_sarif(out, set);
		return;
	}
	for (size_t i = 0; i < set->diags.len; i++) {
		const struct diag *diag = vec_at(&set->diags, i);
		if (format == DIAG_FORMAT_JSON)
			print_json(out, diag);
		else
			print_text(out, diag, format == DIAG_FORMAT_TEXT_COLOR ? &ansi : &plain);
	}
}

/* Formatted in memory and written at once: stderr is unbuffered, and a
 * write per piece of a diagnostic is tens of thousands of system calls for
 * a project with a few thousand warnings. */
void
diag_print(struct diag_set *set, FILE *out, enum diag_format format)
{
	vec_sort(&set->diags, diag_compare);
	char *text = NULL;
	size_t len = 0;
	FILE *memory = open_memstream(&text, &len);
	print_all(set, memory ? memory : out, format);
	if (memory && fclose(memory) == 0)
		fwrite(text, 1, len, out);
	free(text);
	fflush(out);
}

/* The Levenshtein distance of A and B, or SIZE_MAX once it is sure to be
 * over LIMIT: a resolve of 10,000 vendor namespaces asks this of every
 * namespace in the catalog, and nearly every pair is far apart. */
static size_t
edit_distance_within(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64 || (la > lb ? la - lb : lb - la) > limit)
		return SIZE_MAX;
	size_t row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diagonal = row[0], row_min = i;
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t above = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diagonal + cost;
			if (above + 1 < best)
				best = above + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diagonal = above;
			if (best < row_min)
				row_min = best;
		}
		/* A row's minimum never decreases further down. */
		if (row_min > limit)
			return SIZE_MAX;
	}
	return row[lb] <= limit ? row[lb] : SIZE_MAX;
}

const char *
diag_nearest(const char *word, const char *const *candidates, size_t count)
{
	return diag_nearest_within(word, candidates, count, strlen(word) / 3 + 1);
}

const char *
diag_nearest_within(const char *word, const char *const *candidates, size_t count,
	size_t limit)
{
	const char *best = NULL;
	size_t best_distance = SIZE_MAX;
	for (size_t i = 0; i < count; i++) {
		size_t d = edit_distance_within(word, candidates[i], limit);
		if (d < best_distance && d > 0) {
			best = candidates[i];
			best_distance = d;
		}
	}
	return best;
}
