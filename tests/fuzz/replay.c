/* Runs a fuzz harness over files, so that `make check` replays the corpus
 * (and every crash kept as a regression case) without libFuzzer. */

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
	FILE *in = fopen(path, "rb");
	if (!in) {
		perror(path);
		return 1;
	}
	size_t cap = 1 << 16, len = 0;
	unsigned char *data = malloc(cap);
	size_t got;
	while (data && (got = fread(data + len, 1, cap - len, in)) > 0)
		if ((len += got) == cap && !(data = realloc(data, cap *= 2)))
			break;
	fclose(in);
	if (!data)
		return 1;
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

static int
replay(const char *path, size_t *count)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		perror(path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return replay_file(path);
	}
	DIR *dir = opendir(path);
	struct dirent *entry;
	int failed = 0;
	while (dir && (entry = readdir(dir)))
		if (entry->d_name[0] != '.') {
			char child[4096];
			snprintf(child, sizeof(child), "%s/%s", path, entry->d_name);
			failed |= replay(child, count);
		}
	if (dir)
		closedir(dir);
	return failed;
}

int
main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	size_t count = 0;
	int failed = 0;
	for (int i = 1; i < argc; i++)
		failed |= replay(argv[i], &count);
	printf("replayed %zu inputs\n", count);
	return failed || count == 0;
}
