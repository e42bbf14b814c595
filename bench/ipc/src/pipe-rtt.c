/*
 * pipe-rtt: a Linux pipe round trip on the host, for scale beside mica's IPC
 * round trip (bench/ipc/run.ts compiles it with the host's cc and runs it).
 *
 *   pipe-rtt [ROUNDS]     default 20000
 *
 * A parent and a forked child bounce one byte over two pipes (the classic
 * lmbench lat_pipe). After 1000 unmeasured round trips it prints one line:
 *
 *   pipe-rtt: rounds=20000 ns=<total> ns_per_round_trip=<ns>
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WARMUP 1000

static void die(const char *what) {
  perror(what);
  exit(1);
}

static void bounce(int in, int out, long rounds) {
  char c = 0;
  for (long i = 0; i < rounds; i++) {
    if (read(in, &c, 1) != 1) die("child read");
    if (write(out, &c, 1) != 1) die("child write");
  }
}

static void ping(int out, int in, long rounds) {
  char c = 'x';
  for (long i = 0; i < rounds; i++) {
    if (write(out, &c, 1) != 1) die("write");
    if (read(in, &c, 1) != 1) die("read");
  }
}

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;
  if (rounds <= 0) {
    fprintf(stderr, "pipe-rtt: ROUNDS must be positive\n");
    return 2;
  }
  int to_child[2], to_parent[2];
  if (pipe(to_child) != 0 || pipe(to_parent) != 0) die("pipe");
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    close(to_child[1]);
    close(to_parent[0]);
    bounce(to_child[0], to_parent[1], WARMUP + rounds);
    _exit(0);
  }
  close(to_child[0]);
  close(to_parent[1]);
  ping(to_child[1], to_parent[0], WARMUP);
  long long start = now_ns();
  ping(to_child[1], to_parent[0], rounds);
  long long ns = now_ns() - start;
  int status;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "pipe-rtt: child failed\n");
    return 1;
  }
  printf("pipe-rtt: rounds=%ld ns=%lld ns_per_round_trip=%.1f\n", rounds, ns, (double)ns / rounds);
  return 0;
}
