#include "unit.h"

#include "vendorc/arena.h"
#include "vendorc/path.h"

static struct arena *arena;

typedef const char *path_fn(struct arena *arena, const char *from, const char *path);

/* Each case: the function, its two arguments, what it must give. */
static const struct {
	path_fn *fn;
	const char *from, *path, *want;
} cases[] = {
	{ path_absolute, "/w", "vendors", "/w/vendors" },
	{ path_absolute, "/w", "./a//b/./c/", "/w/a/b/c" },
	{ path_absolute, "/w/x", "../y/../z", "/w/z" },
	{ path_absolute, "/w", "/abs/./p", "/abs/p" },
	{ path_absolute, "/w", "../../..", "/" },
	{ path_absolute, "/", ".", "/" },
	/* path_relative(target, base) */
	{ path_relative, "/w/a/b", "/w", "a/b" },
	{ path_relative, "/w", "/w", "." },
	{ path_relative, "/w", "/w/a/b", "../.." },
	{ path_relative, "/w/ab/c", "/w/a", "../ab/c" },
	{ path_relative, "/w/a/c", "/w/a/b", "../c" },
	{ path_relative, "/w/a", "/", "w/a" },
	{ path_relative, "/", "/w", ".." },
	{ path_from_cwd, "/w", "proj/./vendors/a.vendor", "proj/vendors/a.vendor" },
	{ path_from_cwd, "/w", "/w/proj/vendorc.yaml", "proj/vendorc.yaml" },
	{ path_from_cwd, "/w", ".", "." },
	/* outside the working directory: absolute, not a climb of ".." */
	{ path_from_cwd, "/w/sub", "../proj/a.vendor", "/w/proj/a.vendor" },
	{ path_from_cwd, "/w", "/wx/a", "/wx/a" },
};

int
main(void)
{
	arena = arena_create();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(cases[i].fn(arena, cases[i].from, cases[i].path), cases[i].want);
	arena_destroy(arena);
	return unit_finish("path");
}
