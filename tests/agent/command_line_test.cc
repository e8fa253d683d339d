#include "agent/command_line.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace sluice::agent {
namespace {

using ::sluice::testing::StatusIs;

TEST(CommandLineTest, AcceptsOurAndPromtailsFlags) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--config", "a.yaml"},
                                             {"--config=a.yaml"},
                                             {"-config.file=a.yaml"},
                                             {"-config.file", "a.yaml"},
                                             {"-config", "a.yaml"}}) {
    Result<CommandLine> cl = ParseCommandLine(args);
    ASSERT_TRUE(cl.ok()) << args[0];
    EXPECT_EQ(cl->config_path, "a.yaml") << args[0];
    EXPECT_FALSE(cl->dry_run);
  }
  Result<CommandLine> dry = ParseCommandLine({"--dry-run", "--config", "x", "--log-level=debug"});
  ASSERT_TRUE(dry.ok());
  EXPECT_TRUE(dry->dry_run);
  EXPECT_EQ(dry->log_level, "debug");
  EXPECT_TRUE(ParseCommandLine({"--help"})->help);
  EXPECT_TRUE(ParseCommandLine({"-h"})->help);
}

TEST(CommandLineTest, Errors) {
  EXPECT_THAT(ParseCommandLine({}).status(), StatusIs(StatusCode::kInvalidArgument, "--config"));
  EXPECT_THAT(ParseCommandLine({"--config"}).status(),
              StatusIs(StatusCode::kInvalidArgument, "needs a value"));
  EXPECT_THAT(ParseCommandLine({"--config", "a", "--bogus"}).status(),
              StatusIs(StatusCode::kInvalidArgument, "unknown argument --bogus"));
}

TEST(CommandLineTest, BadConfigExitsWithUsageError) {
  EXPECT_EQ(RunAgentCommand({"--config", "/nonexistent/agent.yaml"}), 2);
  EXPECT_EQ(RunAgentCommand({"--nope"}), 2);
  EXPECT_EQ(RunAgentCommand({"--help"}), 0);
}

}  // namespace
}  // namespace sluice::agent
