#!/usr/bin/env bash
# Soak run (not part of ./mvnw verify): steady calls to two workers while a random worker is killed
# with SIGKILL every few seconds; prints a table and exits non-zero when a call failed that was not
# in flight at a kill, or when a process or /dev/shm file is left.
# Usage: scripts/soak.sh [seconds=60] [kill-interval-ms=3000]
#        scripts/soak.sh cycles [count=200]   (start and stop the application count times, then
#        check that no process, descriptor, mapping or /dev/shm entry is left)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests install -pl autoconfigure -am
./mvnw -q -B -pl autoconfigure dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/soak.classpath
exec java -Xmx256m -cp "autoconfigure/target/test-classes:autoconfigure/target/classes:$(cat autoconfigure/target/soak.classpath)" \
	io.vmworkers.soak.SoakRunner "$@"
