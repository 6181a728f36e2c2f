// The floor of a wake-up after silence between two processes, in C: see README.md beside this file.
// Usage: wake echo FILE | wake caller FILE TRIPS
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

// Layout of the 4 KiB file: request counter @0, answer counter @64, echo's CPU @128.
static long nanos(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void futex(volatile int *word, int op, int value, const struct timespec *timeout) {
	syscall(SYS_futex, word, op, value, timeout, NULL, 0);
}

static int compare(const void *a, const void *b) {
	long x = *(const long *) a, y = *(const long *) b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv) {
	if (argc < 3) {
		fprintf(stderr, "usage: wake echo FILE | wake caller FILE TRIPS\n");
		return 2;
	}
	int fd = open(argv[2], O_RDWR | O_CREAT, 0600);
	if (fd < 0 || ftruncate(fd, 4096) != 0) {
		perror(argv[2]);
		return 1;
	}
	char *map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	volatile int *request = (volatile int *) map, *answer = (volatile int *) (map + 64), *cpu = (volatile int *) (map + 128);
	if (strcmp(argv[1], "echo") == 0) {
		struct timespec timeout = { 0, 100000000 };
		int seen = *request;
		for (;;) {
			while (*request == seen) {
				futex(request, FUTEX_WAIT, seen, &timeout);
			}
			seen = *request;
			*cpu = sched_getcpu();
			__atomic_add_fetch(answer, 1, __ATOMIC_SEQ_CST);
			futex(answer, FUTEX_WAKE, 1, NULL);
		}
	}
	int trips = argc > 3 ? atoi(argv[3]) : 150;
	for (int i = 0; i < 20000; i++) {
		int before = *answer;
		__atomic_add_fetch(request, 1, __ATOMIC_SEQ_CST);
		futex(request, FUTEX_WAKE, 1, NULL);
		while (*answer == before) {
			sched_yield();
		}
	}
	const char *modes[] = { "spin (pause)", "spin (yield)", "sleep (futex)" };
	for (int mode = 0; mode < 3; mode++) {
		long *times = calloc(trips, sizeof(long));
		int same = 0;
		for (int i = 0; i < trips; i++) {
			struct timespec silence = { 0, 10000000 };
			nanosleep(&silence, NULL);
			int before = *answer;
			int mine = sched_getcpu();
			long start = nanos();
			__atomic_add_fetch(request, 1, __ATOMIC_SEQ_CST);
			futex(request, FUTEX_WAKE, 1, NULL);
			while (*answer == before) {
				if (mode == 0) {
					__builtin_ia32_pause();
				}
				else if (mode == 1) {
					sched_yield();
				}
				else {
					futex(answer, FUTEX_WAIT, before, NULL);
				}
			}
			times[i] = nanos() - start;
			same += (*cpu == mine);
		}
		qsort(times, trips, sizeof(long), compare);
		printf("C caller, waiting by %-13s median %6.1f us  p90 %6.1f us  echo on the caller's CPU %3d %%\n", modes[mode],
				times[trips / 2] / 1e3, times[trips * 9 / 10] / 1e3, 100 * same / trips);
		free(times);
	}
	return 0;
}
