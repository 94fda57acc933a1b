#include "vendorc/source.h"

#include "vendorc/arena.h"
#include "vendorc/diag.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char utf8_bom[] = "\xEF\xBB\xBF";

static void
source_index_lines(struct arena *arena, struct source *src)
{
	size_t count = 1;
	for (size_t i = 0; i < src->len; i++)
		count += src->text[i] == '\n';
	uint32_t *starts = arena_array(arena, count, sizeof(*starts));
	size_t line = 0;
	starts[line++] = 0;
	for (size_t i = 0; i < src->len; i++)
		if (src->text[i] == '\n')
			starts[line++] = (uint32_t)(i + 1);
	src->line_starts = starts;
	src->line_count = count;
}

struct source *
source_borrow(struct arena *arena, const char *display_path, const char *text, size_t len)
{
	struct source *src = arena_alloc(arena, sizeof(*src));
	if (len >= 3 && memcmp(text, utf8_bom, 3) == 0) {
		text += 3;
		len -= 3;
		src->had_bom = true;
	}
	src->path = arena_strdup(arena, display_path);
	src->text = text;
	src->len = len;
	source_index_lines(arena, src);
	return src;
}

struct source *
source_from_text(struct arena *arena, const char *display_path, const char *text, size_t len)
{
	return source_borrow(arena, display_path, arena_strndup(arena, text, len), len);
}

/* Up to want bytes of fd into buffer; -1 on error. A short read of a
 * regular file is its end (vendorc catches no signal that could cut one
 * short), so a file read whole costs one read, not a second to see the end:
 * ten thousand vendor files make every system call count. */
static ssize_t
read_upto(int fd, bool regular, char *buffer, size_t want)
{
	size_t len = 0;
	while (len < want) {
		ssize_t got = read(fd, buffer + len, want - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		len += (size_t)got;
		if (got == 0 || (regular && len < want))
			break;
	}
	return (ssize_t)len;
}

enum source_status
source_load(struct arena *arena, const char *fs_path, const char *display_path,
	size_t max_size, struct source **out, int *errno_out)
{
	*out = NULL;
	*errno_out = 0;
	int fd = open(fs_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*errno_out = errno;
		return errno == ENOENT ? SOURCE_NOT_FOUND : SOURCE_IO_ERROR;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		*errno_out = S_ISDIR(st.st_mode) ? EISDIR : errno;
		close(fd);
		return SOURCE_IO_ERROR;
	}
	/* Room for the size stat gave plus one byte, so that a file that grew
	 * since is still caught at the limit. */
	size_t want = (size_t)st.st_size < max_size ? (size_t)st.st_size + 1 : max_size + 1;
	char *buffer = arena_alloc_bytes(arena, want + 1);
	ssize_t got = read_upto(fd, S_ISREG(st.st_mode), buffer, want);
	*errno_out = got < 0 ? errno : 0;
	close(fd);
	if (got < 0)
		return SOURCE_IO_ERROR;
	size_t len = (size_t)got;
	/* A file over the limit still comes back, cut at the limit, so that a
	 * diagnostic can quote its first line. */
	bool too_large = len > max_size || (len == want && (size_t)st.st_size >= max_size);
	len = len > max_size ? max_size : len;
	buffer[len] = '\0';
	*out = source_borrow(arena, display_path, buffer, len);
	return too_large ? SOURCE_TOO_LARGE : SOURCE_OK;
}

struct source *
source_read(struct arena *arena, struct diag_set *diags, const char *fs_path,
	const char *display_path, size_t max_size, const struct loc *ref, bool *missing)
{
	struct source *src;
	int error;
	enum source_status status = source_load(arena, fs_path, display_path, max_size, &src, &error);
	*missing = status == SOURCE_NOT_FOUND;
	if (status == SOURCE_TOO_LARGE) {
		struct loc at = { src, 1, 1, 1, 2 };
		diag_report(diags, DIAG_FILE_TOO_LARGE, &at, "file is larger than the limit of %zu bytes",
			max_size);
	} else if (status == SOURCE_IO_ERROR) {
		diag_report(diags, DIAG_IO_ERROR, ref, "cannot read \"%s\": %s", display_path,
			strerror(error));
	}
	return status == SOURCE_OK ? src : NULL;
}

const char *
source_line(const struct source *src, uint32_t line, size_t *len)
{
	if (!src || line == 0 || line > src->line_count)
		return NULL;
	size_t start = src->line_starts[line - 1];
	size_t end = line < src->line_count ? src->line_starts[line] - 1 : src->len;
	if (end > start && src->text[end - 1] == '\r')
		end--;
	*len = end - start;
	return src->text + start;
}

size_t
source_utf8_length(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	size_t need;
	unsigned min;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		need = 2;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4;
		min = 0x10000;
	} else {
		return 0;
	}
	if (avail < need)
		return 0;
	unsigned code = c & (0xFF >> (need + 1));
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		code = (code << 6) | (s[i] & 0x3F);
	}
	if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
		return 0;
	return need;
}

size_t
source_utf8_error(const struct source *src)
{
	const unsigned char *text = (const unsigned char *)src->text;
	for (size_t i = 0; i < src->len;) {
		size_t step = source_utf8_length(text + i, src->len - i);
		if (step == 0)
			return i;
		i += step;
	}
	return src->len;
}

struct loc
source_loc_at(const struct source *src, size_t offset)
{
	size_t lo = 0, hi = src->line_count;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (src->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	uint32_t col = 1;
	for (size_t i = src->line_starts[lo]; i < offset; i++)
		col += ((unsigned char)src->text[i] & 0xC0) != 0x80;
	return (struct loc){ src, (uint32_t)lo + 1, col, (uint32_t)lo + 1, col + 1 };
}

struct loc
loc_file(const struct source *src)
{
	return (struct loc){ src, 0, 0, 0, 0 };
}

struct loc
loc_span(struct loc first, struct loc last)
{
	first.end_line = last.end_line;
	first.end_col = last.end_col;
	return first;
}

static int
compare_u32(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}

int
loc_compare(const struct loc *a, const struct loc *b)
{
	int by_path = strcmp(a->src ? a->src->path : "", b->src ? b->src->path : "");
	if (by_path)
		return by_path;
	int by_line = compare_u32(a->line, b->line);
	return by_line ? by_line : compare_u32(a->col, b->col);
}
