#!/usr/bin/env bash
# Runs on a GPU host without Java, from the folder kernels-cuda/gpu-check.sh filled: the CUDA tests
# (JUnit console), the timings of the fixed cases (CudaCaseTimer) and, where python3 has PyTorch with
# CUDA, the same cases on cuDNN as the anchor. Logs, the JUnit XML report and the tables go to the
# results folder ($1, else $OUT, else ./results); scratch data to a temporary folder.
# Environment: RNN4J_TESTS_LAST=1 runs the tests after the timings; RNN4J_TEST_CLASSES="A B" runs
# only those test classes, RNN4J_TEST_CLASSES=none none of them; RNN4J_TIMER_ONLY="G1,S1" times only
# those cases ("sgemm": the GEMMs); RNN4J_TEST_TIMEOUT, RNN4J_TIMER_TIMEOUT, RNN4J_ANCHOR_TIMEOUT (seconds).
# RNN4J_NCU=<regex> also profiles the first launch of the kernels matching it (say
# "rnn_persistent_fused_lstm" or "sgemm_128_nn") under Nsight Compute, where ncu is on the host:
# speed of light, warp states, scheduler and memory sections into ncu.log (RNN4J_NCU_TIMEOUT).
# RNN4J_GEMM_PROBE=1 also runs gemm_probe (every pipelined SGEMM tile on a few shapes, beside the
# measured FMA rate), where gpu-check.sh could build it. cuBLAS's SGEMM is timed with the cuDNN anchor.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
res="${1:-${OUT:-$here/results}}"
work="$(mktemp -d /tmp/rnn4j-gpu.XXXXXX)"
mkdir -p "$res"

tar xzf "$here/runtime.tgz" -C "$work"
java="$work/runtime/bin/java"
"$java" -version 2>&1 | head -1
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader 2>/dev/null || true

cp="$(ls "$here"/lib/*.jar | tr '\n' ':')"
flags=(--enable-native-access=ALL-UNNAMED -Drnn4j.tests=true -Xss4m -Djava.io.tmpdir="$work")
[ -n "${RNN4J_TIMER_ONLY:-}" ] && flags+=("-Drnn4j.timer.only=$RNN4J_TIMER_ONLY")

run_tests() {
    echo "== CUDA tests"
    local select=(--select-package io.rnn4j.kernels.cuda)
    if [ -n "${RNN4J_TEST_CLASSES:-}" ]; then  # e.g. "CudaGemmTest CudaRnnTest": only these classes
        select=()
        for c in $RNN4J_TEST_CLASSES; do select+=(--select-class "io.rnn4j.kernels.cuda.$c"); done
    fi
    timeout "${RNN4J_TEST_TIMEOUT:-200}" "$java" "${flags[@]}" -jar "$here/junit-platform-console-standalone.jar" execute \
        --disable-banner --exclude-engine=junit-vintage --exclude-engine=junit-platform-suite --details=tree --details-theme=ascii --class-path "$cp" \
        "${select[@]}" --reports-dir "$res/junit" >"$res/tests.log" 2>&1
    tests_rc=$?
    # The tree names every test as it ends (a run cut short by the timeout still shows how far it got).
    echo "passed: $(grep -c '\[OK\]' "$res/tests.log"), failed: $(grep -c '\[X\]' "$res/tests.log")"
    grep -A3 '\[X\]' "$res/tests.log" | cut -c1-300 | head -n 60
    grep -E "tests (successful|failed|skipped|aborted)|containers failed" "$res/tests.log"
    echo "tests exit status: $tests_rc"
}
tests_rc=0
[ "${RNN4J_TEST_CLASSES:-}" = none ] && RNN4J_TESTS_LAST=skip
[ "${RNN4J_TESTS_LAST:-0}" = 0 ] && run_tests

echo "== rnn4j timings"
timeout "${RNN4J_TIMER_TIMEOUT:-100}" "$java" "${flags[@]}" -cp "$cp" io.rnn4j.kernels.cuda.CudaCaseTimer "$work" \
    >"$res/timer.log" 2>&1
echo "timer exit status: $?"
cat "$res/timer.log"
cp "$work/rnn4j-times.tsv" "$res/" 2>/dev/null

echo "== cuDNN anchor"
if python3 -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
    timeout "${RNN4J_ANCHOR_TIMEOUT:-100}" python3 "$here/cudnn_anchor.py" "$work" >"$res/anchor.log" 2>&1
    echo "anchor exit status: $?"
    cat "$res/anchor.log"
    timeout 60 python3 "$here/gemm_anchor.py" >"$res/gemm-anchor.log" 2>&1
    echo "cuBLAS SGEMM anchor exit status: $?"
    cat "$res/gemm-anchor.log"
else
    echo "no python3 with CUDA-enabled PyTorch here: no cuDNN anchor"
fi
[ "${RNN4J_TESTS_LAST:-0}" = 1 ] && run_tests

if [ "${RNN4J_GEMM_PROBE:-0}" = 1 ]; then
    echo "== gemm_probe"
    if [ -x "$here/gemm_probe" ]; then
        timeout 120 "$here/gemm_probe" >"$res/gemm-probe.log" 2>&1
        echo "gemm_probe exit status: $?"
        cat "$res/gemm-probe.log"
    else
        echo "no gemm_probe in $here (gpu-check.sh builds it where nvcc exists)"
    fi
fi

if [ -n "${RNN4J_NCU:-}" ]; then
    echo "== ncu: first launch of kernels matching ${RNN4J_NCU}"
    ncu="$(command -v ncu || ls /usr/local/cuda*/bin/ncu 2>/dev/null | head -n 1)"
    if [ -n "$ncu" ]; then
        timeout "${RNN4J_NCU_TIMEOUT:-200}" "$ncu" --kernel-name "regex:${RNN4J_NCU}" --launch-count 1 \
            --section SpeedOfLight --section WarpStateStats --section SchedulerStats --section MemoryWorkloadAnalysis \
            --section SourceCounters --metrics "regex:smsp__average_warps_issue_stalled_.*_per_issue_active\\.ratio" \
            "$java" "${flags[@]}" -cp "$cp" io.rnn4j.kernels.cuda.CudaCaseTimer "$work/ncu" >"$res/ncu.log" 2>&1
        echo "ncu exit status: $?"
        grep -v -E "^(sgemm|[SLG][0-9])"$'\t' "$res/ncu.log" | tail -n 80
    else
        echo "no ncu on this host"
    fi
fi
rm -rf "$work"
exit $tests_rc
