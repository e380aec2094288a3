/*
 * Reference: one producer to one consumer over a raw pipe(2), N small
 * length-prefixed messages (the same framing ipcscope queues use).
 * Prints "<messages> <seconds>" for bench/run.sh.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
read_full(int fd, void *buf, size_t n)
{
	char *p = buf;
	while (n) {
		ssize_t r = read(fd, p, n);
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000;
	int fds[2];
	if (pipe(fds) < 0)
		return 1;
	double t0 = now();
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		char msg[64];
		for (long i = 0; i < n; i++) {
			int len = snprintf(msg + 4, sizeof msg - 4, "message %ld", i);
			uint32_t be = htonl((uint32_t)len);
			memcpy(msg, &be, 4);
			if (write(fds[1], msg, (size_t)len + 4) != len + 4)
				_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	long got = 0;
	char buf[64];
	uint32_t be;
	while (read_full(fds[0], &be, 4) == 0) {
		uint32_t len = ntohl(be);
		if (len >= sizeof buf || read_full(fds[0], buf, len) < 0)
			return 1;
		got++;
	}
	waitpid(pid, NULL, 0);
	double t = now() - t0;
	if (got != n) {
		fprintf(stderr, "lost messages: %ld of %ld\n", got, n);
		return 1;
	}
	printf("%ld %.6f\n", got, t);
	return 0;
}
