#!/usr/bin/env bash
# The shell steps of the GitHub Action (action.yml). .ci/run runs them too,
# as action.yml writes them, so that they cannot rot.
#
#   runner-check.sh install REF   go install github.com/runner-dev/runner/cmd/runner@REF
#                                 (REF "local": this checkout), then runner --version;
#                                 under GitHub Actions the install folder goes on PATH
#   runner-check.sh check ARGS... runner --check ARGS...; when it exits 1 (a report
#                                 missing or stale, or a value outside tolerance) the
#                                 fresh reports are written, for the artifact, and the
#                                 exit status stays 1
#
# RUNNER names the binary for check (default: runner on PATH).
set -euo pipefail

case "${1:-}" in
install)
  ref=${2:?usage: runner-check.sh install REF}
  if [ "$ref" = local ]; then
    (cd "$(dirname "$0")/.." && go install ./cmd/runner)
  else
    go install "github.com/runner-dev/runner/cmd/runner@$ref"
  fi
  bin=$(go env GOBIN)
  [ -n "$bin" ] || bin="$(go env GOPATH)/bin"
  if [ -n "${GITHUB_PATH:-}" ]; then echo "$bin" >>"$GITHUB_PATH"; fi
  "$bin/runner" --version
  ;;
check)
  shift
  runner=${RUNNER:-runner}
  status=0
  "$runner" --check "$@" || status=$?
  if [ "$status" = 1 ]; then
    echo "runner: writing the fresh reports (the artifact holds them)"
    "$runner" -q "$@" || true
  fi
  exit "$status"
  ;;
*)
  echo "usage: runner-check.sh install REF | check ARGS..." >&2
  exit 2
  ;;
esac
