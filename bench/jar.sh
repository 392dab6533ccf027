# Sourced by bench/run and bench/gate: builds bench/target/benchmarks.jar when it is missing or
# older than a source or pom of the reactor, then sets JAR. Runs from the repository root.
JAR=bench/target/benchmarks.jar
stale=""
if [ ! -f "$JAR" ]; then
  stale=yes
elif [ -n "$(find pom.xml */pom.xml */src -newer "$JAR" -type f 2>/dev/null | head -1)" ]; then
  stale=yes
fi
if [ -n "$stale" ]; then
  echo "bench: building $JAR" >&2
  .ci/with-jdk25 mvn -B -q -ntp -pl bench -am package -DskipTests >&2
fi
