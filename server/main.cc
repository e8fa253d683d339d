// `sluice`: the server binary. See command_line.h for the flags and app.h for the wiring.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/logging.h"
#include "server/app.h"
#include "server/build_info.h"
#include "server/command_line.h"
#include "server/config.h"

namespace {

using sluice::Status;
using namespace sluice::server;

int Fail(const std::string& message, int code = 1) {
  std::fprintf(stderr, "sluice: %s\n", message.c_str());
  return code;
}

int Serve(const CommandLine& cl) {
  ServerConfig config;
  if (cl.config) {
    Status st = ApplyConfigFile(*cl.config, &config);
    if (!st.ok())
      return Fail(st.message(), 2);
  }
  if (cl.listen) {
    Status st = ParseListenAddress(*cl.listen, &config.http.address, &config.http.port);
    if (!st.ok())
      return Fail(st.message(), 2);
  }
  if (cl.data_dir)
    config.data_dir = *cl.data_dir;
  if (cl.log_level)
    config.log_level = *cl.log_level;
  Status st = sluice::InitLogging(config.log_level);
  if (!st.ok())
    return Fail(st.message(), 2);

  // Handle SIGTERM/SIGINT synchronously in this thread: block them before any thread starts
  // (threads inherit the mask), then sigwait.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  spdlog::info("sluice {} starting: data dir {}, listening on {}:{}", kSluiceVersion,
               config.data_dir, config.http.address, config.http.port);
  auto app = App::Start(config, /*listen=*/true);
  if (!app.ok())
    return Fail(app.status().message());
  spdlog::info("sluice ready on {}:{}", config.http.address, (*app)->port());

  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("received signal {}; shutting down", sig);
  st = (*app)->Shutdown();
  if (!st.ok()) {
    spdlog::error("shutdown: {}", st.ToString());
    return 1;
  }
  app->reset();
  spdlog::info("sluice stopped cleanly");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto cl = ParseCommandLine(args);
  if (!cl.ok())
    return Fail(cl.status().message() + "\n\n" + UsageText(), 2);
  switch (cl->command) {
    case CommandLine::Command::kHelp:
      std::fputs(UsageText().c_str(), stdout);
      return 0;
    case CommandLine::Command::kVersion:
      std::printf("sluice %s (revision %s)\n", kSluiceVersion, kSluiceRevision);
      return 0;
    case CommandLine::Command::kServe:
      return Serve(*cl);
  }
  return 0;
}
