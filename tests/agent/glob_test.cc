#include "agent/glob.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent_test_util.h"

namespace sluice::agent {
namespace {

using ::testing::ElementsAre;

TEST(GlobTest, Matches) {
  EXPECT_TRUE(GlobMatch("/var/log/*.log", "/var/log/a.log"));
  EXPECT_FALSE(GlobMatch("/var/log/*.log", "/var/log/sub/a.log"));
  EXPECT_TRUE(GlobMatch("/var/log/**/*.log", "/var/log/a.log"));
  EXPECT_TRUE(GlobMatch("/var/log/**/*.log", "/var/log/x/y/z.log"));
  EXPECT_TRUE(GlobMatch("/var/log/{app,web}/*.log", "/var/log/web/1.log"));
  EXPECT_FALSE(GlobMatch("/var/log/{app,web}/*.log", "/var/log/db/1.log"));
  EXPECT_TRUE(GlobMatch("/l/a?.[0-9]", "/l/ab.7"));
  EXPECT_FALSE(GlobMatch("/l/a?.[!0-9]", "/l/ab.7"));
  EXPECT_TRUE(GlobMatch("/l/{a,{b,c}d}", "/l/cd"));
  EXPECT_THAT(ExpandBraces("x{1,2}y{a,b}"), ElementsAre("x1ya", "x1yb", "x2ya", "x2yb"));
}

TEST(GlobTest, ExpandsOnDisk) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.File("pods/ns_p_u/c"));
  std::filesystem::create_directories(dir.File("other"));
  testing::WriteFile(dir.File("pods/ns_p_u/c/0.log"), "");
  testing::WriteFile(dir.File("pods/ns_p_u/c/0.log.gz"), "");
  testing::WriteFile(dir.File("other/a.log"), "");
  testing::WriteFile(dir.File("top.log"), "");
  GlobResult r = ExpandGlob(dir.path() + "/**/*.log");
  EXPECT_THAT(r.files, ElementsAre(dir.File("other/a.log"), dir.File("pods/ns_p_u/c/0.log"),
                                   dir.File("top.log")));
  EXPECT_GE(r.directories.size(), 4u);
  GlobResult pods = ExpandGlob(dir.path() + "/pods/*/*/*.log");
  EXPECT_THAT(pods.files, ElementsAre(dir.File("pods/ns_p_u/c/0.log")));
  GlobResult braces = ExpandGlob(dir.path() + "/{other,pods}/*.log");
  EXPECT_THAT(braces.files, ElementsAre(dir.File("other/a.log")));
  GlobResult plain = ExpandGlob(dir.File("top.log"));
  EXPECT_THAT(plain.files, ElementsAre(dir.File("top.log")));
}

}  // namespace
}  // namespace sluice::agent
