// The floor for a 1 kHz caller on this machine, in C: a caller process sends a number every 1 ms
// (absolute deadlines) and spins for the answer; an echo process answers it, and waits between
// calls asleep on a futex (the caller wakes it) or spinning. Prints the call's median and p90 and
// the echo's CPU (user + system) as a share of one core. See README.md beside this file.
// Usage: periodic sleep|spin [calls=5000]
#define _GNU_SOURCE
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PERIOD_NS 1000000L
#define WARM_UP 500

struct shared {
	_Atomic uint32_t request;   // the caller's number; the echo sleeps on it
	_Atomic uint32_t sleeping;  // the echo is (about to be) asleep on request
	_Atomic uint32_t answer;
	_Atomic uint32_t done;
	double echo_cpu_share;
};

static long now_ns(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000L + t.tv_nsec;
}

static long cpu_ns(void) {
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000000000L + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1000L;
}

static void futex_wake(_Atomic uint32_t *word) {
	syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
}

static void sleep_until_time(long deadline) {
	struct timespec t = { deadline / 1000000000L, deadline % 1000000000L };
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
}

static int cmp_long(const void *a, const void *b) {
	long x = *(const long *) a, y = *(const long *) b;
	return (x > y) - (x < y);
}

// Sleeps on the futex until request differs from seen (or done); the caller wakes a sleeper.
static void sleep_for(struct shared *s, uint32_t seen) {
	atomic_store(&s->sleeping, 1);
	while (atomic_load(&s->request) == seen && !atomic_load(&s->done)) {
		syscall(SYS_futex, &s->request, FUTEX_WAIT, seen, NULL, NULL, 0);
	}
	atomic_store(&s->sleeping, 0);
}

static void echo(struct shared *s, int spin) {
	uint32_t seen = 0;
	long count = 0, start_cpu = 0, start_wall = 0;
	while (!atomic_load(&s->done)) {
		if (spin) {
			while (atomic_load(&s->request) == seen && !atomic_load(&s->done)) {
				__builtin_ia32_pause();
			}
		}
		else {
			sleep_for(s, seen);
		}
		if (atomic_load(&s->done)) {
			break;
		}
		seen = atomic_load(&s->request);
		count++;
		atomic_store(&s->answer, seen);
		if (count == WARM_UP) {
			start_cpu = cpu_ns();
			start_wall = now_ns();
		}
	}
	s->echo_cpu_share = (double) (cpu_ns() - start_cpu) / (double) (now_ns() - start_wall);
}

int main(int argc, char **argv) {
	if (argc < 2 || (strcmp(argv[1], "sleep") != 0 && strcmp(argv[1], "spin") != 0)) {
		fprintf(stderr, "usage: periodic sleep|spin [calls]\n");
		return 2;
	}
	int calls = (argc > 2) ? atoi(argv[2]) : 5000;
	struct shared *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	memset(s, 0, sizeof(*s));
	pid_t child = fork();
	if (child == 0) {
		echo(s, strcmp(argv[1], "spin") == 0);
		return 0;
	}
	long *times = calloc(calls, sizeof(long));
	long due = now_ns() + PERIOD_NS;
	for (int i = 0; i < WARM_UP + calls; i++) {
		sleep_until_time(due);
		long start = now_ns();
		uint32_t number = (uint32_t) i + 1;
		atomic_store(&s->request, number);
		if (atomic_load(&s->sleeping)) {
			futex_wake(&s->request);
		}
		while (atomic_load(&s->answer) != number) {
			__builtin_ia32_pause();
		}
		if (i >= WARM_UP) {
			times[i - WARM_UP] = now_ns() - start;
		}
		due += PERIOD_NS;
	}
	atomic_store(&s->done, 1);
	futex_wake(&s->request);
	waitpid(child, NULL, 0);
	qsort(times, calls, sizeof(long), cmp_long);
	printf("| %s | %.1f us | %.1f us | %.1f %% |\n", argv[1], times[calls / 2] / 1e3, times[calls * 9 / 10] / 1e3,
			s->echo_cpu_share * 100);
	return 0;
}
