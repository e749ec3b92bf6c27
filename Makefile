# Thin targets over CMake; see README.md.
BUILD ?= build
JOBS ?= $(shell nproc)
CXM_DB ?= data/cxm.db

.PHONY: build run test bench fuzz clean bootstrap

bootstrap:
	@scripts/bootstrap

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: bootstrap $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/cxm serve --db sqlite:$(CXM_DB) --listen 127.0.0.1:8080

test: build
	cmake --build $(BUILD) -j $(JOBS) --target sanitized_tests
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	@CXM_FUZZ_SECONDS=$${CXM_FUZZ_SECONDS:-5} scripts/fuzz-briefly $(BUILD)/fuzz

bench: build
	$(BUILD)/bench_scoring --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
	$(BUILD)/bench_report --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
	bench/startup_bench.sh $(BUILD)/cxm
	bench/http_bench.sh $(BUILD)/cxm

fuzz: bootstrap
	CXM_FUZZ_SECONDS=$${CXM_FUZZ_SECONDS:-300} scripts/fuzz-briefly $(BUILD)/fuzz

clean:
	rm -rf $(BUILD)
