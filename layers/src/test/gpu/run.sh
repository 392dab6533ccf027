#!/usr/bin/env bash
# Runs on a GPU host without Java, from the folder layers/gpu-check.sh filled: the functional-API
# layer tests (batched matmul, merge layers, attention, layer normalization, RNN(cell), Model, the
# seq2seq learning test) on the device named by $1 (cuda, or scalar to compare); report to $2.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
device="${1:-cuda}"
res="${2:-${OUT:-$here/results}}"
work="$(mktemp -d /tmp/rnn4j-layers.XXXXXX)"
mkdir -p "$res"
tar xzf "$here/runtime.tgz" -C "$work"
java="$work/runtime/bin/java"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || true
cp="$(ls "$here"/lib/*.jar | tr '\n' ':')"
sel=()
for c in io.rnn4j.layers.autograd.BatchMatMulTest io.rnn4j.layers.MergeLayersTest io.rnn4j.layers.AttentionTest \
    io.rnn4j.layers.LayerNormalizationTest io.rnn4j.layers.CellsTest io.rnn4j.layers.model.ModelTest \
    io.rnn4j.layers.model.FunctionalBadInputTest io.rnn4j.layers.model.Seq2SeqLearningTest; do
  sel+=(--select-class "$c")
done
start=$(date +%s)
timeout "${RNN4J_TEST_TIMEOUT:-170}" "$java" --enable-native-access=ALL-UNNAMED -Drnn4j.tests=true \
    -Drnn4j.device="$device" -Xss4m -Djava.io.tmpdir="$work" -jar "$here/junit-platform-console-standalone.jar" \
    execute --disable-banner --details=tree --details-theme=ascii --class-path "$cp" "${sel[@]}" \
    --reports-dir "$res/junit" >"$res/layers-$device.log" 2>&1
rc=$?
echo "device $device: exit $rc after $(( $(date +%s) - start )) s"
grep -E "rnn4j device|reverse task|two-by-two|\[X\]|tests (successful|failed|found)|Exception|expected" "$res/layers-$device.log" | head -60
rm -rf "$work"
exit $rc
