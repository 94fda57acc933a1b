#define PCRE2_CODE_UNIT_WIDTH 8

#include "vendorc/emit.h"

#include "vendorc/arena.h"
#include "vendorc/validate.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct emit {
	yaml_emitter_t emitter;
	bool failed;
	char *buffer;
	size_t len;
	size_t cap;
};

static int
write_buffer(void *data, unsigned char *bytes, size_t size)
{
	struct emit *emit = data;
	if (emit->len + size > emit->cap) {
		size_t cap = emit->cap ? emit->cap : 4096;
		while (cap < emit->len + size)
			cap *= 2;
		char *grown = realloc(emit->buffer, cap);
		if (!grown)
			return 0;
		emit->buffer = grown;
		emit->cap = cap;
	}
	memcpy(emit->buffer + emit->len, bytes, size);
	emit->len += size;
	return 1;
}

static void
send(struct emit *emit, yaml_event_t *event, int built)
{
	if (emit->failed)
		return;
	if (!built || !yaml_emitter_emit(&emit->emitter, event))
		emit->failed = true;
}

struct emit *
emit_create(void)
{
	return emit_create_with(EMIT_HEADER);
}

struct emit *
emit_create_with(const char *header)
{
	struct emit *emit = calloc(1, sizeof(*emit));
	if (!emit)
		return NULL;
	if (!yaml_emitter_initialize(&emit->emitter)) {
		free(emit);
		return NULL;
	}
	yaml_emitter_set_output(&emit->emitter, write_buffer, emit);
	yaml_emitter_set_unicode(&emit->emitter, 1);
	yaml_emitter_set_width(&emit->emitter, -1);
	write_buffer(emit, (unsigned char *)header, strlen(header));
	write_buffer(emit, (unsigned char *)"\n", 1);
	yaml_event_t event;
	send(emit, &event, yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING));
	return emit;
}

void
emit_destroy(struct emit *emit)
{
	if (!emit)
		return;
	yaml_emitter_delete(&emit->emitter);
	free(emit->buffer);
	free(emit);
}

void
emit_document_begin(struct emit *emit)
{
	yaml_event_t event;
	send(emit, &event, yaml_document_start_event_initialize(&event, NULL, NULL, NULL, 0));
}

void
emit_document_end(struct emit *emit)
{
	yaml_event_t event;
	send(emit, &event, yaml_document_end_event_initialize(&event, 1));
}

void
emit_map_begin(struct emit *emit)
{
	yaml_event_t event;
	send(emit, &event, yaml_mapping_start_event_initialize(&event, NULL, NULL, 1,
		YAML_BLOCK_MAPPING_STYLE));
}

void
emit_map_end(struct emit *emit)
{
	yaml_event_t event;
	send(emit, &event, yaml_mapping_end_event_initialize(&event));
}

void
emit_seq_begin(struct emit *emit)
{
	yaml_event_t event;
	send(emit, &event, yaml_sequence_start_event_initialize(&event, NULL, NULL, 1,
		YAML_BLOCK_SEQUENCE_STYLE));
}

void
emit_seq_end(struct emit *emit)
{
	yaml_event_t event;
	send(emit, &event, yaml_sequence_end_event_initialize(&event));
}

static void
emit_scalar(struct emit *emit, const char *text, yaml_scalar_style_t style)
{
	yaml_event_t event;
	send(emit, &event, yaml_scalar_event_initialize(&event, NULL, NULL,
		(yaml_char_t *)text, (int)strlen(text), 1, 1, style));
}

void
emit_str(struct emit *emit, const char *text)
{
	emit_scalar(emit, text, validate_yaml_plain(text) ? YAML_ANY_SCALAR_STYLE
							  : YAML_SINGLE_QUOTED_SCALAR_STYLE);
}

void
emit_word(struct emit *emit, const char *word)
{
	assert(validate_yaml_plain(word));
	emit_scalar(emit, word, YAML_ANY_SCALAR_STYLE);
}

void
emit_bool(struct emit *emit, bool value)
{
	emit_scalar(emit, value ? "true" : "false", YAML_ANY_SCALAR_STYLE);
}

void
emit_field(struct emit *emit, const char *key, const char *value)
{
	emit_word(emit, key);
	emit_str(emit, value);
}

void
emit_int(struct emit *emit, long value)
{
	char text[32];
	snprintf(text, sizeof(text), "%ld", value);
	emit_scalar(emit, text, YAML_PLAIN_SCALAR_STYLE);
}

void
emit_pair_str(struct emit *emit, const char *key, const char *value)
{
	emit_str(emit, key);
	emit_str(emit, value);
}

void
emit_pair_int(struct emit *emit, const char *key, long value)
{
	emit_word(emit, key);
	emit_int(emit, value);
}

bool
emit_end(struct emit *emit, const char **data, size_t *len)
{
	yaml_event_t event;
	send(emit, &event, yaml_stream_end_event_initialize(&event));
	if (!emit->failed && !yaml_emitter_flush(&emit->emitter))
		emit->failed = true;
	*data = emit->buffer;
	*len = emit->len;
	return !emit->failed;
}

bool
emit_finish(struct emit *emit, struct arena *arena, const char **data, size_t *len)
{
	if (!emit_end(emit, data, len))
		return false;
	*data = arena_strndup(arena, *data, *len);
	return true;
}
