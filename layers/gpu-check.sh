#!/usr/bin/env bash
# Packs the CUDA bundle (kernels-cuda/gpu-check.sh: a JDK 25 runtime, JUnit, the engine and CUDA jars)
# plus the layers jar and its tests into one folder (default layers/target/gpu-check), so that the
# layers' functional-API tests can run on a GPU host without Java or Maven:
#   bash <folder>/run.sh cuda [results folder]
#
# Usage: layers/gpu-check.sh [output folder]     (needs JDK 25 and Maven here, not there)
set -euo pipefail
module="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$module/.." && pwd)"
out="${1:-$module/target/gpu-check}"
mvn_flags=(-B -q)
[ -n "${MAVEN_OFFLINE:-}" ] && mvn_flags+=(-o)

"$root/kernels-cuda/gpu-check.sh" "$out"
(cd "$root" && "$root/.ci/with-jdk25" mvn "${mvn_flags[@]}" -pl layers -am package -DskipTests)
cp "$module/target/"rnn4j-layers-*.jar "$out/lib/"
"$root/.ci/with-jdk25" jar cf "$out/lib/rnn4j-layers-tests.jar" -C "$module/target/test-classes" .
cp "$module/src/test/gpu/run.sh" "$out/run.sh"
cp "$module/src/test/gpu/run-train.sh" "$out/"
chmod +x "$out/run.sh"
echo "[layers gpu-check] $out ($(du -sh "$out" | cut -f1)): run there with  bash run.sh cuda [results folder]"
