#include "unit.h"

#include "vendorc/arena.h"
#include "vendorc/when.h"

/* 2027-03-31T00:00:00Z */
static const int64_t march31 = INT64_C(1806451200) * WHEN_SECOND;

static void
test_dates(void)
{
	int64_t t;
	bool is_date;
	CHECK(when_parse_date("1970-01-01", &t) && t == 0);
	CHECK(when_parse_date("2027-03-31", &t) && t == march31);
	CHECK(when_parse_date("2024-02-29", &t));
	CHECK(!when_parse_date("2023-02-29", &t));
	CHECK(!when_parse_date("2027-13-01", &t));
	CHECK(!when_parse_date("2027-3-31", &t));
	CHECK(!when_parse_date("2027-03-31x", &t));
	/* Past what nanoseconds in int64 hold: saturates, never wraps. */
	CHECK(when_parse_date("9999-12-31", &t) && t == INT64_MAX);
	CHECK(when_parse_instant("2027-03-31", &t, &is_date) && is_date);
	CHECK(when_parse_instant("2027-03-31T10:00:00Z", &t, &is_date) && !is_date);
}

static void
test_datetimes(void)
{
	int64_t t;
	CHECK(when_parse_datetime("2027-03-31T00:00:00Z", &t) && t == march31);
	CHECK(when_parse_datetime("2027-03-31t02:00:00+02:00", &t) && t == march31);
	CHECK(when_parse_datetime("2027-03-30T19:00:00.000-05:00", &t) && t == march31);
	CHECK(when_parse_datetime("2027-03-30T23:59:59.5Z", &t) && t == march31 - WHEN_SECOND / 2);
	CHECK(when_parse_datetime("2027-03-31T00:00:00.0000000019z", &t) && t == march31 + 1);
	CHECK(!when_parse_datetime("2027-03-31T00:00:00", &t));
	CHECK(!when_parse_datetime("2027-03-31 00:00:00Z", &t));
	CHECK(!when_parse_datetime("2027-03-31T24:00:00Z", &t));
	CHECK(!when_parse_datetime("2027-03-31T00:00:00.Z", &t));
	CHECK(!when_parse_datetime("2027-03-31T00:00:00+2:00", &t));
	/* Two instants within one second stay apart. */
	int64_t early, late;
	CHECK(when_parse_datetime("2027-03-31T08:59:59.5Z", &early));
	CHECK(when_parse_datetime("2027-03-31T08:59:59.9Z", &late));
	CHECK(early < late);
}

static void
test_durations_and_format(struct arena *arena)
{
	int64_t t;
	CHECK(when_parse_duration("14d", &t) && t == 14 * WHEN_DAY);
	CHECK(when_parse_duration("2w", &t) && t == 14 * WHEN_DAY);
	CHECK(when_parse_duration("36h", &t) && t == 36 * 3600 * WHEN_SECOND);
	CHECK(!when_parse_duration("14", &t));
	CHECK(!when_parse_duration("0d", &t));
	CHECK(!when_parse_duration("d", &t));
	CHECK(!when_parse_duration("1y", &t));
	CHECK(!when_parse_duration("99999999999999999999w", &t));
	CHECK(when_add(INT64_MAX - 1, WHEN_DAY) == INT64_MAX);
	CHECK(when_from_seconds(INT64_C(1) << 62) == INT64_MAX);
	CHECK_STR(when_format(arena, march31), "2027-03-31T00:00:00Z");
	CHECK_STR(when_format(arena, march31 + 86399 * WHEN_SECOND), "2027-03-31T23:59:59Z");
	CHECK_STR(when_format(arena, march31 + WHEN_SECOND / 4), "2027-03-31T00:00:00.25Z");
	CHECK_STR(when_format(arena, -WHEN_SECOND), "1969-12-31T23:59:59Z");
	CHECK_STR(when_format_duration(arena, 3 * WHEN_DAY + 5), "3 days");
	CHECK_STR(when_format_duration(arena, 3600 * WHEN_SECOND), "1 hour");
	CHECK_STR(when_format_duration(arena, 59 * WHEN_SECOND), "59 seconds");
	CHECK_STR(when_format_duration(arena, WHEN_SECOND / 2), "less than a second");
	CHECK(when_sub(10, 3) == 7 && when_sub(3, 10) == -7);
	CHECK(when_sub(WHEN_DAY, INT64_MIN) == INT64_MAX && when_sub(INT64_MIN, WHEN_DAY) == INT64_MIN);
	CHECK_STR(when_format_interval(arena, 180 * WHEN_DAY), "180 days");
	CHECK_STR(when_format_interval(arena, 36 * 3600 * WHEN_SECOND), "36 hours");
	CHECK_STR(when_format_interval(arena, 90 * WHEN_SECOND), "90 seconds");
	CHECK_STR(when_format_interval(arena, 2 * 7 * WHEN_DAY), "14 days");
}

int
main(void)
{
	struct arena *arena = arena_create();
	test_dates();
	test_datetimes();
	test_durations_and_format(arena);
	arena_destroy(arena);
	return unit_finish("when");
}
