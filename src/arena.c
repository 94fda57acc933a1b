#include "vendorc/arena.h"

#include <ctype.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Blocks double from the first size to a huge page and stay there. A small
 * arena (a job's scratch) stays small, and a large one is backed by
 * transparent huge pages: a compilation touches every page it allocates,
 * and on a virtual machine each page fault is dear. One fault per 2 MiB
 * instead of one per 4 KiB took 15% off the CPU time of a compile of
 * 10,000 vendors (bench/README.md). */
enum {
	ARENA_FIRST_BLOCK = 64 * 1024,
	ARENA_HUGE_PAGE = 2 * 1024 * 1024,
};

struct arena_block {
	struct arena_block *next;
	size_t used;
	size_t size;
	bool mapped; /* huge: from block_map, else from malloc */
	alignas(max_align_t) unsigned char data[];
};

struct arena {
	struct arena_block *head;
	size_t next_size; /* of the next block's data, unless it needs more */
};

static void
out_of_memory(void)
{
	fputs("vendorc: out of memory\n", stderr);
	abort();
}

static void *
xmalloc(size_t size)
{
	void *memory = malloc(size);
	if (!memory)
		out_of_memory();
	return memory;
}

/* size bytes (a multiple of the huge page) on a huge-page boundary, which
 * transparent huge pages need: mapped with a page to spare, then trimmed. */
static void *
block_map(size_t size)
{
	size_t spare = size + ARENA_HUGE_PAGE;
	unsigned char *mapped = mmap(NULL, spare, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mapped == MAP_FAILED)
		out_of_memory();
	uintptr_t start = ((uintptr_t)mapped + ARENA_HUGE_PAGE - 1) & ~(uintptr_t)(ARENA_HUGE_PAGE - 1);
	size_t before = start - (uintptr_t)mapped;
	if (before)
		munmap(mapped, before);
	munmap((unsigned char *)start + size, spare - before - size);
	/* Only a hint: without huge pages the block works the same. */
	madvise((void *)start, size, MADV_HUGEPAGE);
	return (void *)start;
}

/* Huge blocks of arenas destroyed (the catalog's YAML trees, a check's
 * scratch), which later arenas take before mapping new ones: memory already
 * touched costs no fault and no clearing, and on a virtual machine that
 * hands freed memory back to its host, new memory is the dearest there is.
 * Held for the life of the process, which a compilation is. */
static struct {
	pthread_mutex_t lock;
	struct arena_block *head;
} spare_blocks = { PTHREAD_MUTEX_INITIALIZER, NULL };

static size_t
huge_block_size(void)
{
	return ARENA_HUGE_PAGE - sizeof(struct arena_block);
}

static struct arena_block *
spare_block_take(void)
{
	pthread_mutex_lock(&spare_blocks.lock);
	struct arena_block *block = spare_blocks.head;
	if (block)
		spare_blocks.head = block->next;
	pthread_mutex_unlock(&spare_blocks.lock);
	return block;
}

static void
block_free(struct arena_block *block)
{
	if (!block->mapped) {
		free(block);
	} else if (block->size == huge_block_size()) {
		pthread_mutex_lock(&spare_blocks.lock);
		block->next = spare_blocks.head;
		spare_blocks.head = block;
		pthread_mutex_unlock(&spare_blocks.lock);
	} else {
		munmap(block, sizeof(*block) + block->size);
	}
}

struct arena *
arena_create(void)
{
	struct arena *arena = xmalloc(sizeof(*arena));
	arena->head = NULL;
	arena->next_size = ARENA_FIRST_BLOCK;
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
		block_free(block);
		block = next;
	}
	free(arena);
}

void
arena_reset(struct arena *arena)
{
	struct arena_block *kept = arena->head;
	if (!kept)
		return;
	for (struct arena_block *block = kept->next, *next; block; block = next) {
		next = block->next;
		block_free(block);
	}
	kept->next = NULL;
	kept->used = 0;
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
block_new(size_t size)
{
	if (sizeof(struct arena_block) + size < ARENA_HUGE_PAGE) {
		struct arena_block *block = xmalloc(sizeof(*block) + size);
		*block = (struct arena_block){ .size = size };
		return block;
	}
	struct arena_block *block = size == huge_block_size() ? spare_block_take() : NULL;
	if (!block) {
		if (size > SIZE_MAX - 2 * ARENA_HUGE_PAGE)
			out_of_memory();
		size_t total = (sizeof(*block) + size + ARENA_HUGE_PAGE - 1) & ~(size_t)(ARENA_HUGE_PAGE - 1);
		block = block_map(total);
		size = total - sizeof(*block);
	}
	*block = (struct arena_block){ .size = size, .mapped = true };
	return block;
}

static struct arena_block *
arena_grow(struct arena *arena, size_t need)
{
	struct arena_block *block = block_new(need > arena->next_size ? need : arena->next_size);
	block->next = arena->head;
	arena->head = block;
	size_t doubled = 2 * arena->next_size;
	arena->next_size = doubled < huge_block_size() ? doubled : huge_block_size();
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
 * copies into, buffers read into), which is most of what a compilation
 * allocates. */
void *
arena_alloc_bytes(struct arena *arena, size_t size)
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
	void *memory = arena_alloc_bytes(arena, size);
	memset(memory, 0, size);
	return memory;
}

void *
arena_array(struct arena *arena, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		out_of_memory();
	return arena_alloc(arena, count * size);
}

char *
arena_strndup(struct arena *arena, const char *text, size_t len)
{
	char *copy = arena_alloc_bytes(arena, len + 1);
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
		text = arena_alloc_bytes(arena, size);
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
		void **items = arena_alloc_bytes(arena, cap * sizeof(*items));
		if (vec->len)
			memcpy(items, vec->items, vec->len * sizeof(*items));
		vec->items = items;
		vec->cap = cap;
	}
	vec->items[vec->len++] = item;
}

void
vec_push_unique_string(struct arena *arena, struct vec *vec, const char *text)
{
	for (size_t i = 0; i < vec->len; i++)
		if (strcmp(vec->items[i], text) == 0)
			return;
	vec_push(arena, vec, (void *)text);
}

void
vec_append(struct arena *arena, struct vec *vec, const struct vec *from)
{
	for (size_t i = 0; from && i < from->len; i++)
		vec_push(arena, vec, from->items[i]);
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

void
vec_equal_range(const struct vec *vec, const void *key,
	int (*compare)(const void *key, const void *item), size_t *first, size_t *end)
{
	size_t at = vec_lower_bound(vec, key, compare);
	*first = at;
	while (at < vec->len && compare(key, vec->items[at]) == 0)
		at++;
	*end = at;
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

/* The slot for key: its own, or the empty one where it would go. */
static struct text_slot *
text_slot(const struct text_table *table, const char *key)
{
	size_t mask = table->cap - 1;
	for (size_t i = hash_text(key) & mask;; i = (i + 1) & mask) {
		struct text_slot *slot = &table->slots[i];
		if (!slot->key || strcmp(slot->key, key) == 0)
			return slot;
	}
}

static void
text_table_grow(struct arena *arena, struct text_table *table)
{
	struct text_table old = *table;
	table->cap = old.cap ? 2 * old.cap : 16;
	table->slots = arena_array(arena, table->cap, sizeof(*table->slots));
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*text_slot(table, old.slots[i].key) = old.slots[i];
}

void **
text_table_at(struct arena *arena, struct text_table *table, const char *key)
{
	if (2 * (table->len + 1) > table->cap)
		text_table_grow(arena, table);
	struct text_slot *slot = text_slot(table, key);
	if (!slot->key) {
		slot->key = key;
		table->len++;
	}
	return &slot->value;
}

void *
text_table_find(const struct text_table *table, const char *key)
{
	return table->cap ? text_slot(table, key)->value : NULL;
}

void
text_table_push(struct arena *arena, struct text_table *table, const char *key, void *item)
{
	void **filed = text_table_at(arena, table, key);
	if (!*filed)
		*filed = arena_alloc(arena, sizeof(struct vec));
	vec_push(arena, *filed, item);
}
