#!/usr/bin/env bash
# Soak run (not part of ./mvnw verify): a master (a child process) calls two workers from several
# threads and streams fragmented objects both ways while workers are killed with SIGKILL when ready,
# starting and restarting; then a second master is SIGKILLed. Prints a table and exits non-zero on a
# call that failed when not in flight at a kill, a stream object lost, reordered or duplicated within
# a worker's lifetime, a stuck caller, or a process or /dev/shm entry left behind (io.vmworkers.soak.SoakRunner).
# Usage: scripts/soak.sh [seconds=60] [kill-interval-ms=3000]
#        scripts/soak.sh cycles [count=200]   (start and stop the application count times, then
#        check that no process, descriptor, mapping or /dev/shm entry is left)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests install -pl autoconfigure -am
./mvnw -q -B -pl autoconfigure dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/soak.classpath
exec java -Xmx256m -cp "autoconfigure/target/test-classes:autoconfigure/target/classes:$(cat autoconfigure/target/soak.classpath)" \
	io.vmworkers.soak.SoakRunner "$@"
