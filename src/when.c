#include "vendorc/when.h"

#include "vendorc/arena.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
days_in_month(int64_t y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* Exactly n decimal digits at text. */
static bool
digits(const char *text, int n, int *out)
{
	int value = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)text[i]))
			return false;
		value = value * 10 + (text[i] - '0');
	}
	*out = value;
	return true;
}

static bool
parse_date_part(const char *text, int64_t *days)
{
	int y, m, d;
	if (!digits(text, 4, &y) || text[4] != '-' || !digits(text + 5, 2, &m)
		|| text[7] != '-' || !digits(text + 8, 2, &d))
		return false;
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return false;
	*days = days_from_civil(y, m, d);
	return true;
}

int64_t
when_add(int64_t a, int64_t b)
{
	int64_t sum;
	if (__builtin_add_overflow(a, b, &sum))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return sum;
}

int64_t
when_sub(int64_t a, int64_t b)
{
	int64_t difference;
	if (__builtin_sub_overflow(a, b, &difference))
		return b < 0 ? INT64_MAX : INT64_MIN;
	return difference;
}

int64_t
when_from_seconds(int64_t seconds)
{
	int64_t instant;
	if (__builtin_mul_overflow(seconds, WHEN_SECOND, &instant))
		return seconds > 0 ? INT64_MAX : INT64_MIN;
	return instant;
}

bool
when_parse_date(const char *text, int64_t *out)
{
	int64_t days;
	if (strlen(text) != 10 || !parse_date_part(text, &days))
		return false;
	*out = when_from_seconds(days * 86400);
	return true;
}

static bool
parse_offset(const char *text, int64_t *offset)
{
	if ((text[0] == 'Z' || text[0] == 'z') && text[1] == '\0') {
		*offset = 0;
		return true;
	}
	int h, m;
	if ((text[0] != '+' && text[0] != '-') || !digits(text + 1, 2, &h) || text[3] != ':'
		|| !digits(text + 4, 2, &m) || text[6] != '\0' || h > 23 || m > 59)
		return false;
	*offset = (text[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
	return true;
}

/* ".123" -> 123000000 nanoseconds; *rest moves past the digits. */
static bool
parse_fraction(const char **rest, int64_t *nanos)
{
	*nanos = 0;
	if (**rest != '.')
		return true;
	const char *digit = *rest + 1;
	if (!isdigit((unsigned char)*digit))
		return false;
	int64_t scale = WHEN_SECOND;
	for (; isdigit((unsigned char)*digit); digit++) {
		scale /= 10;
		*nanos += (*digit - '0') * scale;
	}
	*rest = digit;
	return true;
}

bool
when_parse_datetime(const char *text, int64_t *out)
{
	int64_t days, offset, nanos;
	int h, mi, s;
	if (strlen(text) < 20 || !parse_date_part(text, &days) || (text[10] != 'T' && text[10] != 't'))
		return false;
	if (!digits(text + 11, 2, &h) || text[13] != ':' || !digits(text + 14, 2, &mi)
		|| text[16] != ':' || !digits(text + 17, 2, &s) || h > 23 || mi > 59 || s > 60)
		return false;
	const char *rest = text + 19;
	if (!parse_fraction(&rest, &nanos) || !parse_offset(rest, &offset))
		return false;
	int64_t seconds = days * 86400 + h * 3600 + mi * 60 + s - offset;
	*out = when_add(when_from_seconds(seconds), nanos);
	return true;
}

bool
when_parse_instant(const char *text, int64_t *out, bool *is_date)
{
	*is_date = when_parse_date(text, out);
	return *is_date || when_parse_datetime(text, out);
}

bool
when_access_end(const char *expires, int64_t *out)
{
	bool is_date;
	if (strcmp(expires, "never") == 0) {
		*out = INT64_MAX;
		return true;
	}
	if (!when_parse_instant(expires, out, &is_date))
		return false;
	if (is_date)
		*out = when_add(*out, WHEN_DAY);
	return true;
}

bool
when_parse_duration(const char *text, int64_t *out)
{
	static const char units[] = "smhdw";
	static const int64_t seconds[] = { 1, 60, 3600, 86400, 7 * 86400 };
	size_t len = strlen(text);
	const char *unit = len >= 2 ? strchr(units, text[len - 1]) : NULL;
	if (!unit || !*unit || text[0] == '0')
		return false;
	int64_t count = 0;
	for (size_t i = 0; i + 1 < len; i++) {
		if (!isdigit((unsigned char)text[i]) || count > INT64_MAX / 10)
			return false;
		count = count * 10 + (text[i] - '0');
	}
	int64_t total;
	if (__builtin_mul_overflow(count, seconds[unit - units] * WHEN_SECOND, &total))
		return false;
	*out = total;
	return true;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

const char *
when_format(struct arena *arena, int64_t instant)
{
	int64_t seconds = floor_div(instant, WHEN_SECOND);
	int64_t nanos = instant - seconds * WHEN_SECOND;
	int64_t days = floor_div(seconds, 86400);
	int64_t secs = seconds - days * 86400;
	int64_t y;
	int m, d;
	civil_from_days(days, &y, &m, &d);
	char fraction[16] = "";
	if (nanos) {
		snprintf(fraction, sizeof(fraction), ".%09lld", (long long)nanos);
		for (size_t end = strlen(fraction); fraction[end - 1] == '0'; end--)
			fraction[end - 1] = '\0';
	}
	return arena_printf(arena, "%04lld-%02d-%02dT%02d:%02d:%02d%sZ", (long long)y, m, d,
		(int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60), fraction);
}

/* Whole units of the largest unit that fits: rounded down for time gone
 * by, up for time left (never shown shorter than it is), or exactly, in
 * the largest unit the duration is a whole number of (an interval as the
 * project sets it: 36h stays "36 hours"). */
enum rounding { ROUND_DOWN, ROUND_UP, ROUND_EXACT };

static const char *
format_duration(struct arena *arena, int64_t duration, enum rounding rounding)
{
	static const struct {
		int64_t seconds;
		const char *unit;
	} units[] = { { 86400, "day" }, { 3600, "hour" }, { 60, "minute" }, { 1, "second" } };
	bool up = rounding == ROUND_UP;
	int64_t seconds = duration / WHEN_SECOND + (up && duration % WHEN_SECOND > 0);
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++) {
		bool whole = seconds % units[i].seconds == 0;
		if (seconds < units[i].seconds || (rounding == ROUND_EXACT && !whole))
			continue;
		int64_t count = seconds / units[i].seconds + (up && !whole);
		return arena_printf(arena, "%lld %s%s", (long long)count, units[i].unit,
			count == 1 ? "" : "s");
	}
	return "less than a second";
}

const char *
when_format_duration(struct arena *arena, int64_t duration)
{
	return format_duration(arena, duration, ROUND_DOWN);
}

const char *
when_format_time_left(struct arena *arena, int64_t duration)
{
	return format_duration(arena, duration, ROUND_UP);
}

const char *
when_format_interval(struct arena *arena, int64_t interval)
{
	return format_duration(arena, interval, ROUND_EXACT);
}

const char *
when_format_date(struct arena *arena, int64_t instant)
{
	return arena_strndup(arena, when_format(arena, instant), 10);
}
