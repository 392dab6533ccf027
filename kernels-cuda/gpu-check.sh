#!/usr/bin/env bash
# Packs what a GPU host WITHOUT Java or Maven needs to run rnn4j's CUDA tests and time the fixed
# cases, into one folder (default kernels-cuda/target/gpu-check), about 45 MB:
#   runtime.tgz                           a jlink runtime of JDK 25 (stripped, compressed)
#   lib/*.jar                             engine, kernels-cuda (+ its tests), JCuda with only the
#                                         driver binding's native library, AssertJ
#   junit-platform-console-standalone.jar the JUnit console launcher
#   run.sh, cudnn_anchor.py, gemm_anchor.py  what runs there (see run.sh)
#   gemm_probe                            the SGEMM tile probe (gemm_probe.cu), where nvcc is here
# Then on the GPU host: bash <folder>/run.sh [results folder]
#
# Usage: kernels-cuda/gpu-check.sh [output folder]     (needs JDK 25 and Maven here, not there)
set -euo pipefail

module="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$module/.." && pwd)"
out="${1:-$module/target/gpu-check}"
mkdir -p "$out" && out="$(cd "$out" && pwd)"  # absolute: later steps run in other folders
jdk="$root/.ci/with-jdk25"
mvn_flags=(-B -q)
[ -n "${MAVEN_OFFLINE:-}" ] && mvn_flags+=(-o)

deps="$module/target/gpu-check-deps"
rm -rf "$deps"
echo "[gpu-check] building the jars and collecting their dependencies"
# JUnit comes with the console launcher (one copy of the platform on the class path).
(cd "$root" && "$jdk" mvn "${mvn_flags[@]}" -pl kernels-cuda -am package dependency:copy-dependencies -DskipTests \
    -DincludeScope=test -DexcludeGroupIds=io.rnn4j,org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian \
    -DoutputDirectory="$deps")

rm -rf "$out"
mkdir -p "$out/lib"
cp "$root/engine/target/"rnn4j-engine-*.jar "$out/lib/"  # the engine's tests too: their bases may serve ours
cp "$module/target/"rnn4j-kernels-cuda-*.jar "$out/lib/"

# JUnit Jupiter 5.x ships with Platform 1.x of the same minor and patch.
platform="$(sed -n 's:.*<junit.version>\(.*\)</junit.version>.*:\1:p' "$root/pom.xml" | sed 's/^5\./1./')"
(cd "$root" && "$jdk" mvn "${mvn_flags[@]}" dependency:copy \
    -Dartifact="org.junit.platform:junit-platform-console-standalone:$platform" -DoutputDirectory="$out")
mv "$out"/junit-platform-console-standalone-*.jar "$out/junit-platform-console-standalone.jar"
for jar in "$deps"/*.jar; do
    case "$(basename "$jar")" in
        rnn4j-*) ;;  # the project's own jars are copied from target/ above
        jcuda-natives-*)
            # Keep only the driver binding (1 MB); NVRTC, the runtime API and the PTX compiler are not used.
            trim="$deps/trim"
            rm -rf "$trim" && mkdir -p "$trim"
            driver="$("$jdk" jar --list --file "$jar" | grep '^lib/libJCudaDriver-')"
            (cd "$trim" && "$jdk" jar --extract --file "$jar" "$driver" \
                && "$jdk" jar --create --file "$out/lib/$(basename "$jar")" lib)
            ;;
        *) cp "$jar" "$out/lib/" ;;
    esac
done

echo "[gpu-check] linking a JDK 25 runtime"
rt="$deps/runtime"
rm -rf "$rt"
"$jdk" jlink --add-modules java.base,jdk.incubator.vector,jdk.unsupported,java.logging,java.management,jdk.management,java.xml,jdk.zipfs \
    --strip-debug --no-header-files --no-man-pages --compress zip-9 --output "$rt" 2>&1 | grep -v "incubator" || true
tar czf "$out/runtime.tgz" -C "$deps" runtime
rm -rf "$rt"

cp "$module/src/test/gpu/run.sh" "$module/src/test/gpu/cudnn_anchor.py" "$module/src/test/gpu/gemm_anchor.py" "$out/"
if command -v nvcc >/dev/null; then
    echo "[gpu-check] building gemm_probe"
    (cd "$module/src/test/gpu" && nvcc -O3 -std=c++17 -gencode arch=compute_80,code=sm_80 \
        -gencode arch=compute_90,code=sm_90 -o "$out/gemm_probe" gemm_probe.cu)
fi
chmod +x "$out/run.sh"
echo "[gpu-check] $out ($(du -sh "$out" | cut -f1)): run there with  bash run.sh [results folder]"
ls -la "$out" "$out/lib"
