#!/usr/bin/env bash
# Runs the hv switch forwarding benchmark (bench/src/main/java/hv/bench/net/SwitchBench.java).
# Builds the bench module and what it needs into their target/ folders (package, never install),
# then runs the main on the class path. Arguments go to SwitchBench, e.g. --clients 8 --seconds 10.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk25.sh"
cd "$ROOT"
CP_FILE="$ROOT/bench/target/classpath.txt"
# One reactor run, so our modules resolve to the freshly built jars (bench is last, so its
# class path is the one left in CP_FILE).
./mvnw -o -q -B -pl bench -am package dependency:build-classpath -Dmaven.test.skip=true -Dmdep.outputFile="$CP_FILE" >/dev/null
exec "$JAVA_HOME/bin/java" -XX:+UseParallelGC -cp "$ROOT/bench/target/classes:$(cat "$CP_FILE")" hv.bench.net.SwitchBench "$@"
