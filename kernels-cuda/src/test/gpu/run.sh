#!/usr/bin/env bash
# Runs on a GPU host without Java, from the folder kernels-cuda/gpu-check.sh filled: the CUDA tests
# (JUnit console), the timings of the fixed cases (CudaCaseTimer) and, where python3 has PyTorch with
# CUDA, the same cases on cuDNN as the anchor. Logs, the JUnit XML report and the tables go to the
# results folder ($1, else $OUT, else ./results); scratch data to a temporary folder.
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

echo "== CUDA tests"
timeout "${RNN4J_TEST_TIMEOUT:-200}" "$java" "${flags[@]}" -jar "$here/junit-platform-console-standalone.jar" execute \
    --disable-banner --exclude-engine=junit-vintage --exclude-engine=junit-platform-suite --details=summary --details-theme=ascii --class-path "$cp" \
    --select-package io.rnn4j.kernels.cuda --reports-dir "$res/junit" >"$res/tests.log" 2>&1
tests_rc=$?
tail -n 45 "$res/tests.log"
echo "tests exit status: $tests_rc"

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
else
    echo "no python3 with CUDA-enabled PyTorch here: no cuDNN anchor"
fi
rm -rf "$work"
exit $tests_rc
