# shellcheck shell=bash
# Sourced by .ci/run before `make test`: builds the distribution tarball, unpacks it, starts it
# with its own launcher and waits for /health (bin/check-dist). A broken tarball fails CI here.
# The package step compiles what `make test` needs next, so it costs little extra.
make dist
bin/check-dist
