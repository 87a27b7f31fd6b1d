# The two commands of the README, from a fresh Debian machine:
#   make demo    install what is missing, build, audit the bundled package
#   make check   the same set-up, then every test
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
PACKAGE_ZIP := $(BUILD)/fixtures/Full-upgrade-package-dten.zip
# What the operator knows about the host being upgraded: its units
# (`systemctl list-unit-files` from it) and the SFTP server it retired.
OPERATOR := --units-file fixtures/Full-upgrade-package-dten.host-units.txt \
            --retired-host sftp-old.partner.example.com

HARDENED_BUILD ?= build-hardened
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60

.PHONY: all deps configure build demo check check-hardened fuzz bench clean

all: build

deps:
	@scripts/install-deps

configure:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: deps build
	@echo
	@echo "== pkgaudit scan $(PACKAGE_ZIP)"
	@$(BUILD)/bin/pkgaudit scan $(PACKAGE_ZIP) $(OPERATOR) --format sarif --output $(BUILD)/demo.sarif --fail-on never
	@$(BUILD)/bin/pkgaudit scan $(PACKAGE_ZIP) $(OPERATOR) --fail-on never
	@echo "SARIF written to $(BUILD)/demo.sarif"

check: deps build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The suite built with ASan and UBSan (gcc), then every fuzzer for 60 s.
check-hardened: deps
	cmake -S . -B $(HARDENED_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPKGAUDIT_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(HARDENED_BUILD) -j $(JOBS)
	cd $(HARDENED_BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) fuzz FUZZ_SECONDS=60

# libFuzzer targets (tests/fuzz, clang), each run for FUZZ_SECONDS, seeded
# from fixtures/; reproducers of any finding land in $(FUZZ_BUILD)/fuzz-work/artifacts.
fuzz: deps
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
	  -DPKGAUDIT_FUZZ=ON -DPKGAUDIT_BUILD_TESTS=OFF -DPKGAUDIT_BUILD_PYTHON=OFF
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	tests/fuzz/run-fuzzers.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# The benchmark (docs/performance.md): not part of check; several minutes.
bench: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPKGAUDIT_BUILD_BENCH=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)
	bench/run.sh $(BUILD)
	python3 bench/scaling.py $(BUILD)/bin/pkgaudit

clean:
	rm -rf $(BUILD) $(HARDENED_BUILD) $(FUZZ_BUILD)
