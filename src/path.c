#include "vendorc/path.h"

#include <stdbool.h>
#include <string.h>

const char *
path_absolute(struct arena *arena, const char *cwd, const char *path)
{
	const char *joined = path[0] == '/' ? path : arena_printf(arena, "%s/%s", cwd, path);
	char *out = arena_alloc(arena, strlen(joined) + 2);
	size_t len = 0;
	for (const char *part = joined; *part;) {
		size_t part_len = strcspn(part, "/");
		if (part_len == 2 && part[0] == '.' && part[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			len -= len > 0; /* the slash before the dropped component */
		} else if (part_len > 0 && !(part_len == 1 && part[0] == '.')) {
			out[len++] = '/';
			memcpy(out + len, part, part_len);
			len += part_len;
		}
		part += part_len + (part[part_len] == '/');
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return out;
}

/* How many leading bytes of a and b are whole components in common. */
static size_t
common_prefix(const char *a, const char *b)
{
	size_t common = 0;
	for (size_t i = 0;; i++) {
		bool a_end = a[i] == '\0' || a[i] == '/';
		bool b_end = b[i] == '\0' || b[i] == '/';
		if (a_end && b_end)
			common = i;
		if (a[i] != b[i] || a[i] == '\0')
			return a_end && b_end ? i : common;
	}
}

const char *
path_relative(struct arena *arena, const char *target, const char *base)
{
	bool root = strcmp(base, "/") == 0;
	size_t common = root ? 0 : common_prefix(target, base);
	const char *rest = target + common + (target[common] == '/');
	size_t ups = 0;
	for (const char *p = base + common; !root && *p; p++)
		ups += *p == '/';
	char *out = arena_alloc(arena, ups * 3 + strlen(rest) + 2);
	char *end = out;
	for (size_t i = 0; i < ups; i++)
		end = stpcpy(end, i + 1 < ups || *rest ? "../" : "..");
	end = stpcpy(end, rest);
	return end == out ? "." : out;
}

const char *
path_from_cwd(struct arena *arena, const char *cwd, const char *path)
{
	const char *absolute = path_absolute(arena, cwd, path);
	const char *relative = path_relative(arena, absolute, cwd);
	return strncmp(relative, "../", 3) == 0 || strcmp(relative, "..") == 0 ? absolute : relative;
}
