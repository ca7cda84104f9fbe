/*
 * perfgate-launch: runs a command N times and reports, per run, what only the kernel knows.
 *
 * Node has no wait4(), so it cannot read a child's rusage (user/sys time, peak RSS). This
 * launcher does the fork/exec/wait4 loop itself and streams one line per run on fd 3:
 *
 *   start <run> <pid>
 *   end <run> <wall_ns> <user_ns> <sys_ns> <maxrss_bytes> <exit_code> <signal> <stdout_bytes> <stderr_bytes>
 *   tail <run> <hex of the last bytes of stderr>        (only after a failed run)
 *   execfail <run> <errno> <message>                     (the command could not be started)
 *
 * Wall time is taken here, around fork..wait4, so the cost of Node spawning this launcher is
 * never part of a sample, and running all runs in one launcher keeps per-run overhead to a
 * fork+exec (as hyperfine -N does). Output of the command is read from pipes and counted, not
 * kept. Usage: perfgate-launch <runs> -- cmd args...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TAIL 1024

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * Finds the program on PATH once, before the loop: execvp would repeat the search (one failed
 * execve per PATH entry before the right one) in every run, and that would be timed.
 */
static const char *resolve(const char *prog) {
  static char path[4096];
  if (strchr(prog, '/')) return prog;
  const char *env = getenv("PATH");
  if (!env) env = "/usr/local/bin:/usr/bin:/bin";
  for (const char *p = env; *p;) {
    const char *end = strchr(p, ':');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len > 0 && len + strlen(prog) + 2 < sizeof path) {
      memcpy(path, p, len);
      path[len] = '/';
      strcpy(path + len + 1, prog);
      if (access(path, X_OK) == 0) return path;
    }
    if (!end) break;
    p = end + 1;
  }
  return prog; /* not found: execv fails with ENOENT and we report it */
}

static long long tv_ns(struct timeval tv) { return (long long)tv.tv_sec * 1000000000LL + (long long)tv.tv_usec * 1000LL; }

/* How long a run goes unannounced to perfgate (see the start line). */
#define ANNOUNCE_MS 20

/* The command running now, for the stop handler. */
static volatile pid_t current = 0;

static void on_stop(int sig) {
  pid_t p = current;
  if (p > 0) {
    kill(-p, SIGKILL);
    kill(p, SIGKILL);
  }
  _exit(128 + sig);
}

int main(int argc, char **argv) {
  if (argc < 4 || strcmp(argv[2], "--") != 0) {
    fprintf(stderr, "usage: perfgate-launch <runs> -- cmd args...\n");
    return 2;
  }
  long runs = strtol(argv[1], NULL, 10);
  char **cmd = argv + 3;
  const char *prog = resolve(cmd[0]);
  FILE *report = fdopen(3, "w");
  if (!report) {
    fprintf(stderr, "perfgate-launch: fd 3 is not open for the report\n");
    return 2;
  }
  /* If perfgate dies, so does the launcher, and it takes the command's process group with it
   * (SIGTERM, so that on_stop runs: a SIGKILL would leave the group behind). */
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  signal(SIGPIPE, SIG_IGN);
  /* Stopped (timeout, Ctrl-C): take the running command's process group down too. */
  signal(SIGTERM, on_stop);
  signal(SIGINT, on_stop);
  int devnull = open("/dev/null", O_RDONLY);
  static char buf[65536];
  static char tail[TAIL];

  for (long run = 0; run < runs; run++) {
    int out[2], err[2], ex[2];
    if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) || pipe2(ex, O_CLOEXEC)) {
      perror("perfgate-launch: pipe");
      return 2;
    }
    long long t0 = now_ns();
    /* vfork: the child only rearranges fds and execs, and the parent is not copied. */
    pid_t pid = vfork();
    if (pid < 0) {
      perror("perfgate-launch: vfork");
      return 2;
    }
    if (pid == 0) {
      /* Its own process group, so a timeout or Ctrl-C can stop the command and its children. */
      setpgid(0, 0);
      /* Should the launcher itself be killed outright, the command still goes with it. */
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      dup2(devnull, 0);
      dup2(out[1], 1);
      dup2(err[1], 2);
      close(3);
      execv(prog, cmd);
      int e = errno;
      ssize_t w = write(ex[1], &e, sizeof e);
      (void)w;
      _exit(127);
    }
    close(out[1]);
    close(err[1]);
    close(ex[1]);
    current = pid;
    /* Not flushed at once: a write to perfgate's pipe wakes Node inside the timed region, on a
     * core the command may need. A run that lasts past ANNOUNCE_MS is announced then (perfgate
     * needs the pid for timeouts and resource sampling); a shorter one with its "end" line. */
    fprintf(report, "start %ld %d\n", run, (int)pid);
    int announced = 0;

    long long outBytes = 0, errBytes = 0;
    size_t tailLen = 0;
    struct pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    int open_fds = 2;
    while (open_fds > 0) {
      int ready = poll(fds, 2, announced ? -1 : ANNOUNCE_MS);
      if (ready < 0) {
        if (errno == EINTR) continue;
        break;
      }
      if (ready == 0) {
        fflush(report);
        announced = 1;
        continue;
      }
      for (int i = 0; i < 2; i++) {
        if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        ssize_t n = read(fds[i].fd, buf, sizeof buf);
        if (n <= 0) {
          close(fds[i].fd);
          fds[i].fd = -1;
          open_fds--;
          continue;
        }
        if (i == 0) outBytes += n;
        else {
          errBytes += n;
          if ((size_t)n >= TAIL) {
            memcpy(tail, buf + n - TAIL, TAIL);
            tailLen = TAIL;
          } else {
            size_t room = TAIL - (size_t)n;
            size_t keep = tailLen > room ? room : tailLen;
            memmove(tail, tail + tailLen - keep, keep);
            memcpy(tail + keep, buf, n);
            tailLen = keep + n;
          }
        }
      }
    }
    int status = 0;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
    }
    long long wall = now_ns() - t0;

    int execErr = 0;
    ssize_t got = read(ex[0], &execErr, sizeof execErr);
    close(ex[0]);
    if (got == (ssize_t)sizeof execErr) {
      fprintf(report, "execfail %ld %d %s\n", run, execErr, strerror(execErr));
      fflush(report);
      return 0;
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    /* Linux reports ru_maxrss in kilobytes. */
    fprintf(report, "end %ld %lld %lld %lld %lld %d %d %lld %lld\n", run, wall, tv_ns(ru.ru_utime), tv_ns(ru.ru_stime),
            (long long)ru.ru_maxrss * 1024LL, code, sig, outBytes, errBytes);
    if ((code != 0 || sig != 0) && tailLen > 0) {
      fprintf(report, "tail %ld ", run);
      for (size_t i = 0; i < tailLen; i++) fprintf(report, "%02x", (unsigned char)tail[i]);
      fputc('\n', report);
    }
    fflush(report);
  }
  return 0;
}
