// pkgaudit-measure RUNS -- COMMAND...
// Runs COMMAND RUNS times (stdout to /dev/null) and prints the medians of
// wall time, CPU time (user + system) and peak RSS of the child, measured
// with wait4(2), and of the share of the machine's CPU time the hypervisor
// took away during the run (steal, /proc/stat): "wall_s cpu_s rss_mib
// steal_percent" ("-" for steal where /proc/stat has none). On a virtual
// machine, steal is what makes one run of the same command slower than
// another, and it hurts a run on every core more than a run on one.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

// Seconds of steal summed over every CPU since boot; negative: unknown.
double steal_seconds() {
  std::ifstream stat("/proc/stat");
  std::string line;
  if (!std::getline(stat, line) || !line.starts_with("cpu ")) return -1;
  std::istringstream fields(line.substr(4));
  unsigned long long value = 0;
  for (int i = 0; i < 8; ++i) {
    if (!(fields >> value)) return -1;
  }
  return static_cast<double>(value) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || std::string_view(argv[2]) != "--") {
    std::fprintf(stderr, "usage: pkgaudit-measure RUNS -- COMMAND...\n");
    return 2;
  }
  const int runs = std::atoi(argv[1]);
  std::vector<double> wall, cpu, rss, steal;
  const long cores = std::max(1L, sysconf(_SC_NPROCESSORS_ONLN));
  for (int r = 0; r < runs; ++r) {
    const double stolen_before = steal_seconds();
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
    const double stolen_after = steal_seconds();
    if (stolen_before >= 0 && stolen_after >= 0) {
      steal.push_back(100.0 * (stolen_after - stolen_before) / (seconds * static_cast<double>(cores)));
    }
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  std::printf("%.3f %.3f %.1f ", median(wall), median(cpu), median(rss));
  if (steal.size() == wall.size()) std::printf("%.1f\n", median(steal));
  else std::printf("-\n");
  return 0;
}
