#include "vendorc/arena.h"

#include <ctype.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ARENA_BLOCK_SIZE = 64 * 1024 };

struct arena_block {
	struct arena_block *next;
	size_t used;
	size_t size;
	alignas(max_align_t) unsigned char data[];
};

struct arena {
	struct arena_block *head;
};

static void *
xmalloc(size_t size)
{
	void *memory = malloc(size);
	if (!memory) {
		fputs("vendorc: out of memory\n", stderr);
		abort();
	}
	return memory;
}

struct arena *
arena_create(void)
{
	struct arena *arena = xmalloc(sizeof(*arena));
	arena->head = NULL;
	return arena;
}

void
arena_destroy(struct arena *arena)
{
	if (!arena)
		return;
	struct arena_block *block = arena->head;
	while (block) {
		struct arena_block *next = block->next;
		free(block);
		block = next;
	}
	free(arena);
}

void
arena_adopt(struct arena *arena, struct arena *from)
{
	struct arena_block *last = from->head;
	while (last && last->next)
		last = last->next;
	/* Behind arena's current block, which keeps its free room. */
	if (last && arena->head) {
		last->next = arena->head->next;
		arena->head->next = from->head;
	} else if (last) {
		arena->head = from->head;
	}
	free(from);
}

static struct arena_block *
arena_grow(struct arena *arena, size_t need)
{
	size_t size = need > ARENA_BLOCK_SIZE ? need : ARENA_BLOCK_SIZE;
	struct arena_block *block = xmalloc(sizeof(*block) + size);
	block->used = 0;
	block->size = size;
	block->next = arena->head;
	arena->head = block;
	return block;
}

static size_t
aligned(size_t size)
{
	size_t align = alignof(max_align_t);
	size = (size + align - 1) & ~(align - 1);
	return size ? size : align;
}

/* Not zeroed: for memory the caller fills at once (strings, arrays it
 * copies into), which is most of what a compilation allocates. */
static void *
arena_alloc_raw(struct arena *arena, size_t size)
{
	size = aligned(size);
	struct arena_block *block = arena->head;
	if (!block || block->size - block->used < size)
		block = arena_grow(arena, size);
	void *memory = block->data + block->used;
	block->used += size;
	return memory;
}

void *
arena_alloc(struct arena *arena, size_t size)
{
	void *memory = arena_alloc_raw(arena, size);
	memset(memory, 0, size);
	return memory;
}

void *
arena_array(struct arena *arena, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size) {
		fputs("vendorc: out of memory\n", stderr);
		abort();
	}
	return arena_alloc(arena, count * size);
}

char *
arena_strndup(struct arena *arena, const char *text, size_t len)
{
	char *copy = arena_alloc_raw(arena, len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	return copy;
}

char *
arena_strdup(struct arena *arena, const char *text)
{
	return arena_strndup(arena, text, strlen(text));
}

char *
arena_strdup_lower(struct arena *arena, const char *text)
{
	char *lower = arena_strdup(arena, text);
	for (char *c = lower; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return lower;
}

char *
arena_vprintf(struct arena *arena, const char *fmt, va_list args)
{
	va_list again;
	va_copy(again, args);
	/* Formatted in place when it fits the room left in the current block,
	 * as most short texts do: one formatting pass instead of two. */
	struct arena_block *block = arena->head;
	size_t room = block ? block->size - block->used : 0;
	char *text = block ? (char *)block->data + block->used : NULL;
	int len = vsnprintf(text, room, fmt, args);
	size_t size = (size_t)(len < 0 ? 0 : len) + 1;
	if (size <= room) {
		block->used += aligned(size) <= room ? aligned(size) : room;
	} else {
		text = arena_alloc_raw(arena, size);
		vsnprintf(text, size, fmt, again);
	}
	if (len < 0)
		text[0] = '\0';
	va_end(again);
	return text;
}

char *
arena_printf(struct arena *arena, const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	char *text = arena_vprintf(arena, fmt, args);
	va_end(args);
	return text;
}

void
vec_push(struct arena *arena, struct vec *vec, void *item)
{
	if (vec->len == vec->cap) {
		size_t cap = vec->cap ? vec->cap * 2 : 8;
		void **items = arena_alloc_raw(arena, cap * sizeof(*items));
		if (vec->len)
			memcpy(items, vec->items, vec->len * sizeof(*items));
		vec->items = items;
		vec->cap = cap;
	}
	vec->items[vec->len++] = item;
}

void
vec_sort(struct vec *vec, int (*compare)(const void *a, const void *b))
{
	if (vec->len > 1)
		qsort(vec->items, vec->len, sizeof(*vec->items), compare);
}

void
vec_sort_unique(struct vec *vec, int (*compare)(const void *a, const void *b))
{
	vec_sort(vec, compare);
	size_t kept = 0;
	for (size_t i = 0; i < vec->len; i++)
		if (kept == 0 || compare(&vec->items[kept - 1], &vec->items[i]) != 0)
			vec->items[kept++] = vec->items[i];
	vec->len = kept;
}

size_t
vec_lower_bound(const struct vec *vec, const void *key,
	int (*compare)(const void *key, const void *item))
{
	size_t lo = 0, hi = vec->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (compare(key, vec->items[mid]) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint64_t
hash_text(const char *text)
{
	uint64_t hash = 14695981039346656037u;
	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		hash = (hash ^ *c) * 1099511628211u;
	return hash ^ (hash >> 32);
}

size_t
vec_find_index(const struct vec *vec, const void *key,
	int (*compare)(const void *key, const void *item))
{
	size_t at = vec_lower_bound(vec, key, compare);
	return at < vec->len && compare(key, vec->items[at]) == 0 ? at : SIZE_MAX;
}

void *
vec_find(const struct vec *vec, const void *key, int (*compare)(const void *key, const void *item))
{
	size_t at = vec_find_index(vec, key, compare);
	return at == SIZE_MAX ? NULL : vec->items[at];
}

int
vec_compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
vec_string_order(const void *key, const void *item)
{
	return strcmp(key, item);
}

void
copy_items(void *to, const void *from, size_t count, size_t size)
{
	if (count)
		memcpy(to, from, count * size);
}
