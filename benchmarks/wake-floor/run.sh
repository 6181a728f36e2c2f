#!/usr/bin/env bash
# The floor of a wake-up after 10 ms of silence between two processes, C and Java, each pairing
# in turn; see README.md beside this file. Needs gcc, and the benchmarks built
# (./mvnw -q -B -DskipTests package -pl benchmarks -am) for jnr-ffi's jars.
# Then the floor for a 1 kHz caller in C (periodic.c).
# Usage: benchmarks/wake-floor/run.sh [trips=150]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lib="$here/../target/lib"
[ -d "$lib" ] || { echo "build the benchmarks first: ./mvnw -q -B -DskipTests package -pl benchmarks -am" >&2; exit 2; }
trips=${1:-150}
work=$(mktemp -d)
file=/dev/shm/wakefloor-$$
echo_pid=
cleanup() {
	[ -n "$echo_pid" ] && kill "$echo_pid" 2>/dev/null && wait "$echo_pid" 2>/dev/null || true
	rm -rf "$work" "$file"
}
trap cleanup EXIT
gcc -O2 -o "$work/wake" "$here/wake.c"
java_wake=(java -Xmx64m -cp "$lib/*" "$here/Wake.java")
pair() {
	echo "## echo: $1, caller: $2"
	rm -f "$file"
	if [ "$1" = C ]; then "$work/wake" echo "$file" & else "${java_wake[@]}" echo "$file" & fi
	echo_pid=$!
	sleep 3
	if [ "$2" = C ]; then "$work/wake" caller "$file" "$trips"; else "${java_wake[@]}" caller "$file" "$trips"; fi
	kill "$echo_pid"
	wait "$echo_pid" 2>/dev/null || true
	echo_pid=
}
pair C C
pair Java C
pair C Java
pair Java Java
echo "## 1 kHz caller, C (periodic.c): | echo waits | median | p90 | echo CPU |"
gcc -O2 -o "$work/periodic" "$here/periodic.c"
"$work/periodic" sleep 5000
"$work/periodic" spin 5000
