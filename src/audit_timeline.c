/* The expiry timeline: one bar per vendor up to the end of its access,
 * soonest first, on a calendar axis, with "now" and the expiry-warning
 * window marked. Plain SVG inside the HTML, so it prints and needs no
 * script; its text says the same for readers who cannot see it. */

#include "vendorc/audit.h"

#include "vendorc/ir.h"
#include "vendorc/when.h"

#include <stdlib.h>

/* Beyond this many bars the chart shows the soonest ends and says how
 * many more the inventory lists. */
enum { TIMELINE_MAX_BARS = 60 };

enum { LABEL_WIDTH = 190, CHART_WIDTH = 640, ROW_HEIGHT = 20, AXIS_HEIGHT = 40, RIGHT_MARGIN = 90 };

struct axis {
	int64_t start, end;        /* the instants at the chart's edges */
};

static double
x_of(const struct axis *axis, int64_t instant)
{
	if (instant <= axis->start)
		return LABEL_WIDTH;
	if (instant >= axis->end)
		return LABEL_WIDTH + CHART_WIDTH;
	return LABEL_WIDTH + (double)(instant - axis->start) / (double)(axis->end - axis->start) * CHART_WIDTH;
}

/* From a month before now (or the earliest end shown, if sooner) to a
 * month past the latest end shown or the warning window, at most three
 * years on: a vendor that never expires runs to the edge. */
static struct axis
axis_of(const struct vec *bars, int64_t now, int64_t warning)
{
	struct axis axis = { now - 30 * WHEN_DAY, when_add(now, warning) };
	for (size_t i = 0; i < bars->len; i++) {
		const struct audit_vendor *av = vec_at(bars, i);
		if (av->ir->never_expires)
			continue;
		if (av->ir->ends_at < axis.start)
			axis.start = av->ir->ends_at - 15 * WHEN_DAY;
		if (av->ir->ends_at > axis.end)
			axis.end = av->ir->ends_at;
	}
	int64_t limit = when_add(now, 3 * 366 * WHEN_DAY);
	axis.end = when_add(axis.end, 30 * WHEN_DAY);
	if (axis.end > limit)
		axis.end = limit;
	return axis;
}

/* The first instant of the month after instant's, UTC. */
static int64_t
next_month(struct arena *arena, int64_t instant)
{
	const char *date = when_format(arena, instant);
	int year = atoi(date), month = atoi(date + 5) + 1;
	if (month > 12) {
		month = 1;
		year++;
	}
	int64_t next;
	when_parse_date(arena_printf(arena, "%04d-%02d-01", year, month), &next);
	return next;
}

/* A tick per month, labelled by month, or by quarter on a long axis. */
static void
draw_ticks(FILE *out, struct arena *arena, const struct axis *axis, double height)
{
	bool quarters = axis->end - axis->start > 400 * WHEN_DAY;
	for (int64_t t = next_month(arena, axis->start); t < axis->end; t = next_month(arena, t)) {
		const char *date = when_format(arena, t);
		int month = atoi(date + 5);
		double x = x_of(axis, t);
		fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" class=\"tick\"/>\n", x, AXIS_HEIGHT - 6,
			x, height);
		if (!quarters || month % 3 == 1)
			fprintf(out, "<text x=\"%.1f\" y=\"%d\" class=\"axis\">%.7s</text>\n", x, AXIS_HEIGHT - 10, date);
	}
}

static void
draw_bar(FILE *out, struct arena *arena, const struct axis *axis, const struct audit_vendor *av, size_t row)
{
	double y = AXIS_HEIGHT + (double)row * ROW_HEIGHT;
	double end = av->ir->never_expires ? LABEL_WIDTH + CHART_WIDTH : x_of(axis, av->ir->ends_at);
	fprintf(out, "<text x=\"%d\" y=\"%.1f\" class=\"name\">", LABEL_WIDTH - 6, y + 14);
	audit_html_text(out, av->ir->name);
	fprintf(out, "</text>\n<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" class=\"%s\"/>\n", LABEL_WIDTH,
		y + 3, end - LABEL_WIDTH, ROW_HEIGHT - 6, audit_state_name(av->state));
	fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"end\">", end + 4, y + 14);
	audit_html_text(out, av->ir->never_expires ? "never" : arena_strndup(arena, when_format(arena, av->ir->ends_at), 10));
	fputs("</text>\n", out);
}

static void
draw_chart(FILE *out, struct arena *arena, const struct audit *audit, const struct vec *bars)
{
	struct axis axis = axis_of(bars, audit->now, audit->warning);
	double height = AXIS_HEIGHT + (double)bars->len * ROW_HEIGHT + 4;
	double now = x_of(&axis, audit->now), warn = x_of(&axis, when_add(audit->now, audit->warning));
	const char *title = audit_id(arena, audit, "timeline-title");
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"%s\" "
		"width=\"%d\" height=\"%.0f\" viewBox=\"0 0 %d %.0f\">\n<title id=\"%s\">End of access per "
		"vendor, soonest first; now and the expiry-warning window marked</title>\n", title,
		LABEL_WIDTH + CHART_WIDTH + RIGHT_MARGIN, height, LABEL_WIDTH + CHART_WIDTH + RIGHT_MARGIN, height, title);
	fputs("<style>.tick{stroke:#c8c8c8}.axis,.end,.name{font:11px \"DejaVu Sans\",Arial,sans-serif;fill:#1a1a1a}"
	      ".name{text-anchor:end}.window{fill:#fff1cc}.now{stroke:#1a1a1a;stroke-width:2}"
	      ".active{fill:#2e7d32}.expiring{fill:#b26a00}.expired{fill:#b71c1c}</style>\n", out);
	fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" class=\"window\"/>\n", now,
		AXIS_HEIGHT - 6, warn - now, height - AXIS_HEIGHT + 6);
	draw_ticks(out, arena, &axis, height);
	for (size_t i = 0; i < bars->len; i++)
		draw_bar(out, arena, &axis, vec_at(bars, i), i);
	fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" class=\"now\"/>\n<text x=\"%.1f\" y=\"12\" "
		"class=\"axis\">now</text>\n</svg>\n", now, AXIS_HEIGHT - 20, now, height, now - 10);
}

void
audit_timeline(FILE *out, struct arena *arena, const struct audit *audit)
{
	audit_html_heading(out, arena, audit, "timeline", "Expiry timeline", audit_controls_timeline, NULL);
	struct vec bars = audit->by_end;
	size_t hidden = bars.len > TIMELINE_MAX_BARS ? bars.len - TIMELINE_MAX_BARS : 0;
	bars.len -= hidden;
	fprintf(out, "<p>Each bar runs to the end of the vendor's access (red: expired, amber: ends within "
		"the expiry-warning of %s, shaded; green: later). The black line is now, %s.%s</p>\n<figure>\n",
		when_format_interval(arena, audit->warning), when_format(arena, audit->now),
		hidden ? arena_printf(arena, " The %zu vendors whose access ends latest are not drawn: the "
			"inventory lists them.", hidden) : "");
	if (bars.len)
		draw_chart(out, arena, audit, &bars);
	else
		fputs("<p>No vendors.</p>\n", out);
	fputs("</figure>\n", out);
}
