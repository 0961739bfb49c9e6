# skillsmatch — the Makefile is CI: .ci/run calls these same targets.
GO        ?= go
DATA      ?= ./data
BENCH_SCALE ?= city
PKGS      := ./...
FUZZTIME  ?= 30s

.PHONY: run test test-store build lint fmt fuzz bench bench-go eval deps postgres chromium demo tidy-check clean deploy-check docker bench-schedule

## run: start the API on http://127.0.0.1:8080 with the embedded store in ./data
run:
	$(GO) run ./cmd/skillsmatch serve --data $(DATA)

## test: install what the tests need, then run every test with the race detector
test: deps
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 -timeout 30m $(PKGS)

## test-store: the store's conformance suite (compare-and-set, counters, unique indexes, races, backup)
## against the server at MONGODB_URI, e.g. make test-store MONGODB_URI='mongodb://host/?replicaSet=rs0';
## without it, against the embedded store
test-store:
	MONGODB_URI='$(MONGODB_URI)' $(GO) test -race -count=1 -timeout 30m ./internal/store/... ./internal/lease/

## deps: download the pinned modules (the first build of the embedded store takes a while),
## PostgreSQL, the benchmark's peer (its tests start a throwaway cluster), and Chromium, the
## browser the web pages are tested in (internal/browsertest)
deps: postgres chromium
	$(GO) mod download

## postgres: Debian's PostgreSQL server, unless it is installed (binaries in /usr/lib/postgresql)
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || \
		{ echo "installing postgresql (the benchmark's peer)"; \
		  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
		  $$( [ "$$(id -u)" = 0 ] || echo sudo ) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

## chromium: Debian's Chromium, unless one is installed ($$CHROME_PATH, chromium or chromium-browser);
## the browser tests run it headless and fail (never skip) without it
chromium:
	@[ -n "$$CHROME_PATH" ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
		{ echo "installing chromium (the browser tests' browser)"; \
		  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
		  apt-cache policy chromium | grep -q 'Candidate: [0-9]' || { echo "no chromium package in apt's sources: install Chromium and set CHROME_PATH" >&2; exit 1; }; \
		  $$( [ "$$(id -u)" = 0 ] || echo sudo ) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## demo: a fresh data dir (DEMO_DATA) with the demo data set and an officer, then the server on
## http://127.0.0.1:8080; the sign-in accounts are printed before it starts
DEMO_DATA     ?= ./data-demo
DEMO_PROFILES ?= 2000
DEMO_NEEDS    ?= 600
DEMO_OFFICER  ?= officer@example.bg
demo: build
	rm -rf $(DEMO_DATA)
	bin/skillsmatch demo --data $(DEMO_DATA) --profiles $(DEMO_PROFILES) --needs $(DEMO_NEEDS)
	printf '%s\n' demo-parola-2026 | bin/skillsmatch user add --data $(DEMO_DATA) --role officer \
		--email $(DEMO_OFFICER) --name "Демо служител"
	@echo "officer (labour office): $(DEMO_OFFICER), password demo-parola-2026"
	@echo "serving the demo on http://127.0.0.1:8080 (Ctrl+C stops it; $(DEMO_DATA) stays until the next make demo)"
	bin/skillsmatch serve --data $(DEMO_DATA)

## build: the binary in bin/
build:
	$(GO) build -o bin/skillsmatch ./cmd/skillsmatch

## lint: vet and staticcheck (pinned as a go tool)
lint:
	$(GO) vet $(PKGS)
	$(GO) tool staticcheck $(PKGS)

## fuzz: run every Go fuzz target (func FuzzXxx in any _test.go) for FUZZTIME each; a failing
## input is written under the package's testdata/fuzz/ (commit it: `make test` then replays it).
## `make test` runs every target's seed corpus already, as plain `go test` does.
fuzz:
	@set -e; for file in $$(grep -rl --include='*_test.go' --exclude-dir=.git '^func Fuzz' . | sort); do \
		dir=$$(dirname $$file); \
		for name in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$file); do \
			echo "fuzz $$dir $$name for $(FUZZTIME)"; \
			$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$dir; \
		done; \
	done

## fmt: format the code
fmt:
	gofmt -w $$(git ls-files '*.go')

## bench: the benchmark table (docs/benchmarks.md): indexing, ranking both ways next to the plain
## Bleve query and PostgreSQL, search, and the served API under load. BENCH_SCALE=city (default,
## 10,000 profiles / 3,000 needs, a few minutes) or national (adds 500,000 / 100,000; ~1 hour, ~16 GB).
## The table is printed and written as JSON under bench/results/.
bench: postgres build
	$(GO) run ./cmd/skillsmatch-bench -scale $(BENCH_SCALE) -binary bin/skillsmatch \
		-commit $$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$$(git diff --quiet HEAD 2>/dev/null || echo -dirty)

## bench-go: the Go benchmarks of the hot functions, for benchstat; BENCH_SCALE=national adds
## the national placement round (500,000 × 100,000)
BENCH_SHORT := $(if $(filter national,$(BENCH_SCALE)),,-short)
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem -count 1 $(BENCH_SHORT) $$($(GO) list ./... | grep -v '/search$$')
	$(GO) test -run '^$$' -bench 'Match|Search' -benchtime 200x ./search/
	$(GO) test -run '^$$' -bench 'Indexing' -benchtime 3x ./search/

## eval: relevance of the ranking (nDCG@10, P@5) next to skill overlap and BM25 text, how many of the
## pairwise judgements hold (search/eval/judgements.go), and exposure by age and municipality on the demo data
eval:
	$(GO) run ./cmd/skillsmatch eval

## deploy-check: the deployment files' validation alone (`make test` runs it too, as ./deploy/...):
## the Kubernetes manifests by kubeconform (a go tool) against strict schemas generated offline
## from k8s.io/api, compose.yaml against the compose-spec schema (compose-go), and the Dockerfile's
## go build lines compiled static (deploy/README.md)
deploy-check:
	$(GO) test -count=1 ./deploy/...

## docker: build the API image and check the compose file with Docker itself; needs a Docker
## engine (this workplace has none, so the image has not been built here)
docker:
	@docker info >/dev/null 2>&1 || { echo "make docker: no Docker engine answers here (docker info failed); run it where one does" >&2; exit 1; }
	DOCKER_BUILDKIT=1 docker build -f deploy/Dockerfile -t skillsmatch:local .
	test -f deploy/skillsmatch.env || cp deploy/skillsmatch.env.example deploy/skillsmatch.env
	docker compose -f deploy/compose.yaml config --quiet

## tidy-check: go.mod and go.sum are tidy
tidy-check:
	$(GO) mod tidy -diff

clean:
	rm -rf bin

## bench-schedule: the speed-interview schedule (internal/schedule): its fit against the greedy
## baseline over 50 random Career & Skills Days, and the time for 40 tables × 12 slots × 400 people
bench-schedule:
	$(GO) test -count=1 -run 'TestFitAgainstGreedy' -v ./internal/schedule/ | grep -E 'over 50 events|benchmark.s event'
	$(GO) test -count=1 -run '^$$' -bench 'Schedule40Tables12Slots400People' -benchmem ./internal/schedule/
