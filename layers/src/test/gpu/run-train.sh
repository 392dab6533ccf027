#!/usr/bin/env bash
# The training part's tests (optimizers, clipping, schedules, optimizer state, losses with sample weights,
# fit weighting, callbacks, the weights file, the LSTM/GRU learning tests) on the device named by $1 (cuda,
# or scalar to compare); logs to $2. Run from the folder layers/gpu-check.sh fills, with this file copied in.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
device="${1:-cuda}"
res="${2:-$here/results}"
work="$(mktemp -d /tmp/rnn4j-train.XXXXXX)"
mkdir -p "$res"
tar xzf "$here/runtime.tgz" -C "$work"
java="$work/runtime/bin/java"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || true
cp="$(ls "$here"/lib/*.jar | tr '\n' ':')"
sel=()
for c in optimizers.OptimizerUpdatesTest optimizers.ClippingTest optimizers.OptimizerStateTest optimizers.SchedulesTest \
    optimizers.OptimizersTest losses.HuberAndSampleWeightsTest losses.LossesTest model.FitWeightingTest \
    model.FunctionalTrainingTest model.WeightsFileTest callbacks.CallbackHooksTest callbacks.EarlyStoppingTest \
    callbacks.ReduceLROnPlateauTest callbacks.FileCallbacksTest model.RecurrentLearningTest; do
  sel+=(--select-class "io.rnn4j.layers.$c")
done
start=$(date +%s)
timeout "${RNN4J_TEST_TIMEOUT:-200}" "$java" --enable-native-access=ALL-UNNAMED -Drnn4j.tests=true \
    -Drnn4j.device="$device" -Xss4m -Djava.io.tmpdir="$work" -jar "$here/junit-platform-console-standalone.jar" \
    execute --disable-banner --details=tree --details-theme=ascii --class-path "$cp" "${sel[@]}" \
    --reports-dir "$res/junit" >"$res/train-$device.log" 2>&1
rc=$?
echo "device $device: exit $rc after $(( $(date +%s) - start )) s"
grep -iE "rnn4j|device|adding problem|running parity|\[X\]|tests (successful|failed|found)|Exception|expected" "$res/train-$device.log" | head -80
rm -rf "$work"
exit $rc
