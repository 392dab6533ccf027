#!/usr/bin/env bash
# Builds the CUDA kernels into the fatbin shipped as a jar resource, and guards it against staleness.
#
# The fatbin is committed (a fresh clone builds without nvcc) together with a SHA-256 of the sources
# and nvcc flags it was built from (fatbins are not byte-reproducible, so the SOURCES are compared).
# Maven runs this script in generate-resources:
#   - hash matches                  -> nothing to do (nvcc is never run; CI stays fast)
#   - hash differs, nvcc on PATH    -> recompile (about 20 s) into target/, copy over the shipped
#                                      fatbin and its hash, and say so: commit both files
#   - hash differs, no nvcc         -> fail: the shipped kernels do not match their sources
# `build.sh --force` recompiles regardless (needs nvcc). `build.sh --hash` prints the current hash.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$(cd "$here/../../.." && pwd)"
resources="$module/src/main/resources/io/rnn4j/kernels/cuda"
fatbin="$resources/rnn4j.fatbin"
hashfile="$resources/rnn4j.fatbin.sha256"
out="$module/target/cuda"

# SASS for Ampere (sm_80, also runs on sm_86/89) and Hopper (sm_90), plus compute_80 PTX that newer
# GPUs JIT-compile (PTX from nvcc 13 needs a driver >= 580). Accurate math: no --use_fast_math.
NVCC_FLAGS="-fatbin -O3 -std=c++17 -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 -gencode arch=compute_80,code=compute_80"

source_hash() {
    (
        cd "$here"
        for f in $(ls -1 -- *.cu *.cuh | LC_ALL=C sort); do
            printf '%s\n' "$f"
            cat -- "$f"
        done
        printf '%s\n' "$NVCC_FLAGS"
    ) | sha256sum | cut -d' ' -f1
}

compile() {
    mkdir -p "$out"
    echo "[rnn4j cuda] nvcc $NVCC_FLAGS rnn4j.cu"
    # shellcheck disable=SC2086
    nvcc $NVCC_FLAGS -o "$out/rnn4j.fatbin" "$here/rnn4j.cu"
    mkdir -p "$resources"
    cp "$out/rnn4j.fatbin" "$fatbin"
    printf '%s\n' "$1" > "$hashfile"
    echo "[rnn4j cuda] regenerated $fatbin ($(wc -c < "$fatbin") bytes); commit it with $(basename "$hashfile")"
}

current="$(source_hash)"
case "${1:-}" in
    --hash)
        echo "$current"
        exit 0
        ;;
    --force)
        compile "$current"
        exit 0
        ;;
esac

recorded="$(cat "$hashfile" 2>/dev/null || true)"
if [ -s "$fatbin" ] && [ "$recorded" = "$current" ]; then
    echo "[rnn4j cuda] shipped fatbin matches its sources ($current)"
    exit 0
fi
if command -v nvcc >/dev/null 2>&1; then
    echo "[rnn4j cuda] sources changed since the shipped fatbin was built: recompiling"
    compile "$current"
    exit 0
fi
echo "[rnn4j cuda] ERROR: $fatbin is stale: its sources (src/main/cuda) hash to $current but it was built" >&2
echo "[rnn4j cuda] from ${recorded:-nothing}. Rebuild it on a machine with nvcc (CUDA 13): kernels-cuda/src/main/cuda/build.sh" >&2
exit 1
