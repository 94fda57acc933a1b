#include "unit.h"

#include "vendorc/arena.h"
#include "vendorc/when.h"

int
main(void)
{
	struct arena *arena = arena_create();
	int64_t t;
	bool is_date;
	CHECK(when_parse_date("1970-01-01", &t) && t == 0);
	CHECK(when_parse_date("2027-03-31", &t) && t == 1806451200);
	CHECK(when_parse_date("2024-02-29", &t));
	CHECK(!when_parse_date("2023-02-29", &t));
	CHECK(!when_parse_date("2027-13-01", &t));
	CHECK(!when_parse_date("2027-3-31", &t));
	CHECK(!when_parse_date("2027-03-31x", &t));
	CHECK(when_parse_datetime("2027-03-31T00:00:00Z", &t) && t == 1806451200);
	CHECK(when_parse_datetime("2027-03-31t02:00:00+02:00", &t) && t == 1806451200);
	CHECK(when_parse_datetime("2027-03-30T19:00:00.000-05:00", &t) && t == 1806451200);
	CHECK(when_parse_datetime("2027-03-30T18:59:59.5-05:00", &t) && t == 1806451200);
	CHECK(when_parse_datetime("2027-03-31T00:00:00z", &t));
	CHECK(!when_parse_datetime("2027-03-31T00:00:00", &t));
	CHECK(!when_parse_datetime("2027-03-31 00:00:00Z", &t));
	CHECK(!when_parse_datetime("2027-03-31T24:00:00Z", &t));
	CHECK(!when_parse_datetime("2027-03-31T00:00:00.Z", &t));
	CHECK(!when_parse_datetime("2027-03-31T00:00:00+2:00", &t));
	CHECK(when_parse_instant("2027-03-31", &t, &is_date) && is_date);
	CHECK(when_parse_instant("2027-03-31T10:00:00Z", &t, &is_date) && !is_date);
	CHECK(when_parse_duration("14d", &t) && t == 14 * WHEN_DAY);
	CHECK(when_parse_duration("2w", &t) && t == 14 * WHEN_DAY);
	CHECK(when_parse_duration("36h", &t) && t == 36 * 3600);
	CHECK(!when_parse_duration("14", &t));
	CHECK(!when_parse_duration("0d", &t));
	CHECK(!when_parse_duration("d", &t));
	CHECK(!when_parse_duration("1y", &t));
	CHECK_STR(when_format(arena, 1806451200), "2027-03-31T00:00:00Z");
	CHECK_STR(when_format(arena, 1806451200 + 86399), "2027-03-31T23:59:59Z");
	CHECK_STR(when_format_duration(arena, 3 * WHEN_DAY + 5), "3 days");
	CHECK_STR(when_format_duration(arena, 3600), "1 hour");
	arena_destroy(arena);
	return unit_finish("when");
}
