// pkgaudit-measure RUNS -- COMMAND...
// Runs COMMAND RUNS times (stdout to /dev/null) and prints the medians of
// wall time, CPU time (user + system) and peak RSS of the child, measured
// with wait4(2): "wall_s cpu_s rss_mib".
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 4 || std::string_view(argv[2]) != "--") {
    std::fprintf(stderr, "usage: pkgaudit-measure RUNS -- COMMAND...\n");
    return 2;
  }
  const int runs = std::atoi(argv[1]);
  std::vector<double> wall, cpu, rss;
  for (int r = 0; r < runs; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
      const int null = open("/dev/null", O_WRONLY);
      dup2(null, STDOUT_FILENO);
      execvp(argv[3], argv + 3);
      _exit(127);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
      std::fprintf(stderr, "pkgaudit-measure: %s failed\n", argv[3]);
      return 1;
    }
    wall.push_back(seconds);
    cpu.push_back(static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                  static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6);
    rss.push_back(static_cast<double>(usage.ru_maxrss) / 1024.0);
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  std::printf("%.3f %.3f %.1f\n", median(wall), median(cpu), median(rss));
  return 0;
}
