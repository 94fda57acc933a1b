# Two commands on a fresh Debian 12 machine (as root or with sudo):
#   make demo    installs what is missing, builds, compiles examples/ and shows it
#   make check   the same set-up, then every test
BUILD ?= build
DEMO_NOW ?= 2026-11-24
PACKAGES = gcc make flex bison meson ninja-build pkg-config libyaml-dev libpcre2-dev \
	python3 python3-yaml python3-jsonschema
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build demo check golden-update clean

all: build

deps:
	@missing=$$(for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

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

check: build
	meson setup --reconfigure $(BUILD) >/dev/null
	meson test -C $(BUILD) --print-errorlogs

golden-update: build
	UPDATE_GOLDEN=1 /usr/bin/python3 tests/golden.py $(BUILD)/vendorc
	@git status --short golden/
	@echo "read every diff (git diff golden/) before committing"

clean:
	rm -rf $(BUILD)
