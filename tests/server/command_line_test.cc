#include "server/command_line.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace sluice::server {
namespace {

using ::sluice::testing::StatusIs;

TEST(CommandLineTest, ServeWithFlagsInBothForms) {
  auto cl = ParseCommandLine({"serve", "--listen", "0.0.0.0:3100", "--data-dir=/tmp/d", "--config",
                              "c.yaml", "--log-level=debug"});
  ASSERT_TRUE(cl.ok()) << cl.status().ToString();
  EXPECT_EQ(cl->command, CommandLine::Command::kServe);
  EXPECT_EQ(*cl->listen, "0.0.0.0:3100");
  EXPECT_EQ(*cl->data_dir, "/tmp/d");
  EXPECT_EQ(*cl->config, "c.yaml");
  EXPECT_EQ(*cl->log_level, "debug");
}

TEST(CommandLineTest, ServeAloneUsesDefaults) {
  auto cl = ParseCommandLine({"serve"});
  ASSERT_TRUE(cl.ok());
  EXPECT_EQ(cl->command, CommandLine::Command::kServe);
  EXPECT_FALSE(cl->listen.has_value());
  EXPECT_FALSE(cl->data_dir.has_value());
}

TEST(CommandLineTest, HelpAndVersion) {
  EXPECT_EQ(ParseCommandLine({})->command, CommandLine::Command::kHelp);
  EXPECT_EQ(ParseCommandLine({"--help"})->command, CommandLine::Command::kHelp);
  EXPECT_EQ(ParseCommandLine({"serve", "--help"})->command, CommandLine::Command::kHelp);
  EXPECT_EQ(ParseCommandLine({"--version"})->command, CommandLine::Command::kVersion);
  EXPECT_NE(UsageText().find("--data-dir"), std::string::npos);
}

TEST(CommandLineTest, ErrorsNameTheProblem) {
  EXPECT_THAT(ParseCommandLine({"server"}), StatusIs(StatusCode::kInvalidArgument, "server"));
  EXPECT_THAT(ParseCommandLine({"serve", "--port", "1"}),
              StatusIs(StatusCode::kInvalidArgument, "unknown flag \"--port\""));
  EXPECT_THAT(ParseCommandLine({"serve", "--listen"}),
              StatusIs(StatusCode::kInvalidArgument, "--listen needs a value"));
  EXPECT_THAT(ParseCommandLine({"serve", "extra"}),
              StatusIs(StatusCode::kInvalidArgument, "unexpected argument"));
}

}  // namespace
}  // namespace sluice::server
