# Everyday commands. The JDK: JAVA_HOME if it is 21+, else the newest JDK 21+ under /usr/lib/jvm.
SHELL := /bin/bash
JAVA_HOME := $(shell bin/find-jdk 2>/dev/null)
export JAVA_HOME
MVN := ./mvnw -B -q
JAR := server/target/orchestra.jar
AOT := server/target/orchestra.aot
SOURCES := $(shell find core gateway memory agents server -path '*/src/main/*' -type f 2>/dev/null) $(wildcard pom.xml */pom.xml)

.PHONY: start test fuzz iac-test format build doctor bench dist compose-up clean check-jdk

check-jdk:
	@if [ -z "$(JAVA_HOME)" ]; then echo "error: no JDK 21 or newer found. Install one (e.g. Temurin 21+) and set JAVA_HOME." >&2; exit 1; fi

$(JAR): $(SOURCES) | check-jdk
	$(MVN) -DskipTests package
	@touch $(JAR)

build: $(JAR) ## Build the server jar and its libraries (server/target/).

# The JDK AOT cache (JDK 25+) for faster starts: trained once after each build, reused until the jar changes.
$(AOT): $(JAR)
	@bin/orchestra aot-train

start: $(JAR) $(AOT) ## Build if needed, then serve on port 8000 with the embedded defaults.
	bin/orchestra serve

# The whole suite, the same everywhere: bin/test-tools installs what Maven cannot fetch (Chromium, the deploy
# linters, PGlite); the test kit starts its own PostgreSQL, Redis and PGlite; the tarball is built and started;
# bin/TestSummary.java ends the run with one line per module and every skip with its reason.
test: check-jdk ## Run the whole test suite (provisions what it needs; see bin/test-tools).
	@bin/test-tools
	@rm -rf */target/surefire-reports
	@status=0; ./mvnw -B package || status=$$?; \
	if [ $$status = 0 ]; then bin/make-dist >/dev/null && bin/check-dist || status=$$?; fi; \
	"$(JAVA_HOME)/bin/java" bin/TestSummary.java .; exit $$status

# The fuzz properties of `make test` with many more tries (same fixed seed, so a run is reproducible). An input
# that fails is written to server/target/fuzz-crashes/<target>/: copy it into server/src/test/resources/fuzz/<target>/
# so every later run replays it.
FUZZ_TRIES ?= 20000
fuzz: check-jdk ## Run the fuzz harness longer (FUZZ_TRIES per property, default 20000).
	$(MVN) -pl server -am test -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false -Djqwik.tries.default=$(FUZZ_TRIES)

iac-test: check-jdk ## Run the Pulumi program's tests alone (mock engine, no cloud); `make test` runs them too.
	./mvnw -B -pl infra test

format: check-jdk ## Apply the code formatting the build checks (Spotless, palantir-java-format).
	$(MVN) spotless:apply

doctor: $(JAR) ## Check this environment for the chosen profile.
	@"$(JAVA_HOME)/bin/java" --enable-native-access=ALL-UNNAMED -jar $(JAR) doctor

bench: $(JAR) ## Run the benchmarks (see bench/README.md).
	bench/run-all.sh

dist: $(JAR) ## Build a runnable tarball: jar + libs + bin/orchestra.
	bin/make-dist

compose-up: ## Start the local stack (Docker): Orchestra, PostgreSQL+pgvector, Redis, Prometheus, Grafana, Alertmanager.
	docker compose -p orchestra --env-file .env -f deploy/compose.yaml up -d --build

clean:
	$(MVN) clean
