#include "unit.h"

#include "vendorc/arena.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Enough small pieces that the blocks grow to huge pages, a piece larger
 * than a huge page, and a worker's arena of each kind of block adopted:
 * every piece zeroed and usable to its end, and each block released the
 * way it was made (ASan and valgrind run this test). */
static void
check_large_arenas(void)
{
	struct arena *arena = arena_create();
	bool zeroed = true;
	for (int i = 0; i < 10000; i++) {
		unsigned char *piece = arena_alloc(arena, 4000);
		zeroed &= piece[0] == 0 && piece[3999] == 0;
		memset(piece, 0xA5, 4000);
	}
	CHECK(zeroed);
	size_t huge = 5 * 1024 * 1024 + 17;
	unsigned char *whole = arena_alloc(arena, huge);
	CHECK(whole[0] == 0 && whole[huge - 1] == 0);
	memset(whole, 0x5A, huge);
	CHECK((uintptr_t)arena_alloc(arena, 1) % alignof(max_align_t) == 0);

	struct arena *worker = arena_create();
	for (int i = 0; i < 1000; i++)
		memset(arena_alloc(worker, 8000), 1, 8000);
	char *kept = arena_strdup(worker, "kept");
	arena_adopt(arena, worker);
	struct arena *small = arena_create();
	arena_strdup(small, "small");
	arena_adopt(arena, small);
	CHECK_STR(kept, "kept");
	arena_destroy(arena);

	/* The blocks just released, filled with 0xA5 and 0x5A, come back to
	 * the next arenas: what arena_alloc gives is zeroed all the same. */
	struct arena *again = arena_create();
	bool fresh = true;
	for (int i = 0; i < 10000; i++) {
		unsigned char *piece = arena_alloc(again, 4000);
		fresh &= piece[0] == 0 && piece[1999] == 0 && piece[3999] == 0;
	}
	CHECK(fresh);
	/* Emptied after growing through several blocks: one stays, and what is
	 * allocated next is zeroed and whole. */
	arena_reset(again);
	char *after = arena_strdup(again, "after reset");
	unsigned char *zeroed_again = arena_alloc(again, 100000);
	CHECK_STR(after, "after reset");
	CHECK(zeroed_again[0] == 0 && zeroed_again[99999] == 0);
	arena_destroy(again);
	struct arena *empty = arena_create();
	arena_reset(empty);
	CHECK_STR(arena_strdup(empty, "empty"), "empty");
	arena_destroy(empty);
}

/* Keys compare by their text, not their address; growing keeps every one. */
static void
test_text_table(void)
{
	struct arena *arena = arena_create();
	struct text_table table = { 0 };
	CHECK(text_table_find(&table, "none") == NULL);
	for (int i = 0; i < 1000; i++)
		*text_table_at(arena, &table, arena_printf(arena, "ns-%d", i)) = arena_printf(arena, "value-%d", i);
	bool found = true;
	for (int i = 0; i < 1000; i++) {
		const char *value = text_table_find(&table, arena_printf(arena, "ns-%d", i));
		found &= value && strcmp(value, arena_printf(arena, "value-%d", i)) == 0;
	}
	CHECK(found);
	CHECK(table.len == 1000);
	CHECK(text_table_find(&table, "ns-1000") == NULL);
	void **again = text_table_at(arena, &table, "ns-7");
	CHECK(table.len == 1000 && strcmp(*again, "value-7") == 0);
	CHECK(*text_table_at(arena, &table, "new") == NULL && table.len == 1001);
	arena_destroy(arena);
}

static int
compare_ints(const void *a, const void *b)
{
	int x = **(int *const *)a, y = **(int *const *)b;
	return (x > y) - (x < y);
}

int
main(void)
{
	test_text_table();
	struct arena *arena = arena_create();
	char *small = arena_alloc(arena, 3);
	CHECK(small[0] == 0 && small[2] == 0);
	CHECK((uintptr_t)arena_alloc(arena, 1) % alignof(max_align_t) == 0);
	/* Larger than a block: gets a block of its own. */
	unsigned char *big = arena_alloc(arena, 1 << 20);
	CHECK(big[0] == 0 && big[(1 << 20) - 1] == 0);
	CHECK_STR(arena_strndup(arena, "vendorc", 6), "vendor");
	CHECK_STR(arena_printf(arena, "%s-%d", "acme", 7), "acme-7");
	/* Texts formatted in place until a block is full, then in a new one:
	 * each stays whole, and the next allocation is still aligned. */
	char *texts[5000];
	bool whole = true;
	for (int i = 0; i < 5000; i++)
		texts[i] = arena_printf(arena, "vendor-%04d", i);
	for (int i = 0; i < 5000; i++) {
		char want[16];
		snprintf(want, sizeof(want), "vendor-%04d", i);
		whole &= strcmp(texts[i], want) == 0;
	}
	CHECK(whole);
	CHECK((uintptr_t)arena_alloc(arena, 1) % alignof(max_align_t) == 0);
	char *long_text = arena_printf(arena, "%070000d", 5);
	CHECK(strlen(long_text) == 70000 && long_text[69999] == '5');

	struct vec vec = { 0 };
	int values[100];
	for (int i = 0; i < 100; i++) {
		values[i] = (i * 37) % 100;
		vec_push(arena, &vec, &values[i]);
	}
	CHECK(vec.len == 100 && vec.cap >= 100);
	vec_sort(&vec, compare_ints);
	bool sorted = true;
	for (int i = 0; i < 100; i++)
		sorted &= *(int *)vec_at(&vec, i) == i;
	CHECK(sorted);

	struct vec names = { 0 };
	const char *unsorted[] = { "payments", "billing", "payments", "a", "billing-eu" };
	for (size_t i = 0; i < 5; i++)
		vec_push(arena, &names, (void *)unsorted[i]);
	vec_sort_unique(&names, vec_compare_strings);
	CHECK(names.len == 4);
	CHECK_STR(vec_at(&names, 0), "a");
	CHECK_STR(vec_at(&names, 1), "billing");
	CHECK_STR(vec_at(&names, 2), "billing-eu");
	CHECK_STR(vec_at(&names, 3), "payments");

	/* First-seen order kept, an equal text (another copy) not pushed. */
	struct vec seen = { 0 };
	char copy[] = "payments";
	for (size_t i = 0; i < 5; i++)
		vec_push_unique_string(arena, &seen, unsorted[i]);
	vec_push_unique_string(arena, &seen, copy);
	CHECK(seen.len == 4);
	CHECK_STR(vec_at(&seen, 0), "payments");
	CHECK_STR(vec_at(&seen, 1), "billing");
	CHECK_STR(vec_at(&seen, 3), "billing-eu");

	/* Equal ranges in a sorted vector with a run of equal items. */
	struct vec runs = { 0 };
	const char *in_order[] = { "a", "billing", "billing", "billing", "payments" };
	for (size_t i = 0; i < 5; i++)
		vec_push(arena, &runs, (void *)in_order[i]);
	size_t first, end;
	vec_equal_range(&runs, "billing", vec_string_order, &first, &end);
	CHECK(first == 1 && end == 4);
	vec_equal_range(&runs, "b", vec_string_order, &first, &end);
	CHECK(first == 1 && end == 1);
	vec_equal_range(&runs, "payments", vec_string_order, &first, &end);
	CHECK(first == 4 && end == 5);
	vec_equal_range(&(struct vec){ 0 }, "a", vec_string_order, &first, &end);
	CHECK(first == 0 && end == 0);
	arena_destroy(arena);
	arena_destroy(NULL);
	check_large_arenas();
	return unit_finish("arena");
}
