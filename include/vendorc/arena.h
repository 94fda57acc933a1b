#ifndef VENDORC_ARENA_H
#define VENDORC_ARENA_H

/* One arena per compilation holds source text, AST, interned names and IR.
 * Nothing in it is freed piece by piece: arena_destroy releases it all. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

struct arena *arena_create(void);
void arena_destroy(struct arena *arena);
/* Empties arena for reuse: its newest (largest) block stays, the others
 * are released. For the scratch of jobs that run one after another. */
void arena_reset(struct arena *arena);
/* Moves everything from holds into arena, which now releases it; from is
 * gone. For the arenas of worker threads (parallel.h). */
void arena_adopt(struct arena *arena, struct arena *from);

/* Zeroed, aligned for any type. Never returns NULL: out of memory aborts,
 * because a half-built compilation has nothing useful to report. */
void *arena_alloc(struct arena *arena, size_t size);
void *arena_array(struct arena *arena, size_t count, size_t size);
/* Not zeroed, aligned: for a buffer the caller fills at once. */
void *arena_alloc_bytes(struct arena *arena, size_t size);
char *arena_strdup(struct arena *arena, const char *text);
char *arena_strndup(struct arena *arena, const char *text, size_t len);
/* A copy with ASCII letters in lower case (domains, which match without case). */
char *arena_strdup_lower(struct arena *arena, const char *text);
char *arena_printf(struct arena *arena, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *arena, const char *fmt, va_list args)
	__attribute__((format(printf, 2, 0)));

/* FNV-1a of a string, folded so that the low bits a table's mask keeps
 * depend on every byte: for the hash tables of several modules. */
uint64_t hash_text(const char *text);

/* An open-addressing table in an arena from strings, which must live as
 * long as it, to pointers. The zero value is empty. */
struct text_slot {
	const char *key;
	void *value;
};
struct text_table {
	struct text_slot *slots;
	size_t cap;
	size_t len;
};
/* key's value slot, added (holding NULL) when key is new. */
void **text_table_at(struct arena *arena, struct text_table *table, const char *key);
/* key's value, or NULL when key is not there. */
void *text_table_find(const struct text_table *table, const char *key);
/* Appends item to key's value, a struct vec made when key is new: the
 * table files items under their key (policies under their namespace). */
void text_table_push(struct arena *arena, struct text_table *table, const char *key, void *item);

/* A growable array of pointers in the arena. Invariant: items holds len
 * valid pointers and room for cap. The zero value is an empty vector. */
struct vec {
	void **items;
	size_t len;
	size_t cap;
};

void vec_push(struct arena *arena, struct vec *vec, void *item);
/* Pushes the C string text unless an equal one is there: a short list
 * kept in first-seen order. */
void vec_push_unique_string(struct arena *arena, struct vec *vec, const char *text);
/* Pushes every item of from (NULL: none), in order. */
void vec_append(struct arena *arena, struct vec *vec, const struct vec *from);
/* compare receives pointers to items (void **), as qsort gives them. */
void vec_sort(struct vec *vec, int (*compare)(const void *a, const void *b));
/* In a vector sorted by compare, the index of the first item not before
 * key; compare(key, item) as for bsearch. */
size_t vec_lower_bound(const struct vec *vec, const void *key,
	int (*compare)(const void *key, const void *item));
/* In a vector sorted by compare, the items that compare equal to key are
 * those of [*first, *end). */
void vec_equal_range(const struct vec *vec, const void *key,
	int (*compare)(const void *key, const void *item), size_t *first, size_t *end);
/* Sorts and keeps the first of each run of items that compare equal. */
void vec_sort_unique(struct vec *vec, int (*compare)(const void *a, const void *b));
/* The index of the item that compares equal to key in a vector sorted by
 * compare (the first, when several do), or SIZE_MAX. */
size_t vec_find_index(const struct vec *vec, const void *key,
	int (*compare)(const void *key, const void *item));
/* That item, or NULL. */
void *vec_find(const struct vec *vec, const void *key,
	int (*compare)(const void *key, const void *item));
/* The compare for a vector of C strings, byte order. */
int vec_compare_strings(const void *a, const void *b);
/* The same as a compare(key, item) for vec_lower_bound and vec_find. */
int vec_string_order(const void *key, const void *item);

#define vec_at(vec, i) ((vec)->items[(i)])

/* memcpy of count items of size, which may be none from a NULL array
 * (memcpy wants valid pointers even for zero bytes). */
void copy_items(void *to, const void *from, size_t count, size_t size);

#endif
