# skillsmatch — the Makefile is CI: .ci/run calls these same targets.
GO        ?= go
DATA      ?= ./data
BENCH_SCALE ?= city
PKGS      := ./...

.PHONY: run test build lint fmt bench eval deps tidy-check clean

## run: start the API on http://127.0.0.1:8080 with the embedded store in ./data
run:
	$(GO) run ./cmd/skillsmatch serve --data $(DATA)

## test: install what the tests need, then run every test with the race detector
test: deps
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 -timeout 30m $(PKGS)

## deps: download the pinned modules (the first build of the embedded store takes a while)
deps:
	$(GO) mod download

## build: the binary in bin/
build:
	$(GO) build -o bin/skillsmatch ./cmd/skillsmatch

## lint: vet and staticcheck (pinned as a go tool)
lint:
	$(GO) vet $(PKGS)
	$(GO) tool staticcheck $(PKGS)

## fmt: format the code
fmt:
	gofmt -w $$(git ls-files '*.go')

## bench: the benchmarks (city scale: 10,000 profiles, 3,000 needs for search and matching);
## BENCH_SCALE=national adds the national placement round (500,000 × 100,000; ~2 GB, minutes)
BENCH_SHORT := $(if $(filter national,$(BENCH_SCALE)),,-short)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 1 $(BENCH_SHORT) $$($(GO) list ./... | grep -v '/search$$')
	$(GO) test -run '^$$' -bench 'Match|Search' -benchtime 200x ./search/
	$(GO) test -run '^$$' -bench 'Indexing' -benchtime 3x ./search/

## eval: relevance of the ranking (nDCG@10, P@5) next to skill overlap and BM25 text
eval:
	$(GO) run ./cmd/skillsmatch eval

## tidy-check: go.mod and go.sum are tidy
tidy-check:
	$(GO) mod tidy -diff

clean:
	rm -rf bin
