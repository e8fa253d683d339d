#include "agent/positions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent_test_util.h"
#include "common/mem_file_system.h"

namespace sluice::agent {
namespace {

using ::testing::HasSubstr;

PositionEntry Entry(std::string path, uint64_t ino, uint64_t offset) {
  return PositionEntry{std::move(path), FileKey{2049, ino}, Fingerprint{1024, 77}, offset};
}

TEST(PositionsTest, RoundTripsThroughTheFile) {
  testing::TempDir dir;
  std::string file = dir.File("sub/positions.yaml");
  std::string problem;
  {
    auto p = Positions::Open({nullptr, file, false}, &problem);
    ASSERT_TRUE(p.ok());
    (*p)->Set(Entry("/var/log/a b.log", 11, 123));
    (*p)->Set(Entry("/var/log/\"q\".log", 12, 456));
    ASSERT_TRUE((*p)->Save().ok());
  }
  EXPECT_TRUE(problem.empty());
  EXPECT_FALSE(std::filesystem::exists(file + ".tmp"));  // renamed into place
  auto p = Positions::Open({nullptr, file, false}, &problem);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(problem.empty());
  auto a = (*p)->FindByKey(FileKey{2049, 11});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->path, "/var/log/a b.log");
  EXPECT_EQ(a->offset, 123u);
  EXPECT_EQ(a->fingerprint, (Fingerprint{1024, 77}));
  EXPECT_EQ((*p)->FindByKey(FileKey{2049, 12})->path, "/var/log/\"q\".log");
  // Promtail's section is there too.
  EXPECT_THAT(testing::ReadFile(file), HasSubstr("positions:"));
}

TEST(PositionsTest, CorruptFileIsReportedAndSurvived) {
  testing::TempDir dir;
  std::string file = dir.File("positions.yaml");
  testing::WriteFile(file, "positions: [unclosed\n\x01\x02 garbage");
  std::string problem;
  auto p = Positions::Open({nullptr, file, false}, &problem);
  ASSERT_TRUE(p.ok());
  EXPECT_THAT(problem, HasSubstr("unusable"));
  EXPECT_TRUE((*p)->All().empty());
  EXPECT_TRUE(std::filesystem::exists(file + ".corrupt"));
  (*p)->Set(Entry("/x", 1, 5));
  ASSERT_TRUE((*p)->Save().ok());
  std::string again;
  auto reopened = Positions::Open({nullptr, file, false}, &again);
  EXPECT_TRUE(again.empty());
  EXPECT_EQ((*reopened)->FindByKey(FileKey{2049, 1})->offset, 5u);
}

TEST(PositionsTest, WrongShapesAreCorruption) {
  EXPECT_FALSE(Positions::Parse("files: 3\n").ok());
  EXPECT_FALSE(
      Positions::Parse("files:\n  - {path: a, dev: x, inode: 1, fingerprint: '1:2', offset: 1}\n")
          .ok());
  EXPECT_FALSE(
      Positions::Parse("files:\n  - {path: a, dev: 1, inode: 1, fingerprint: 'zz', offset: 1}\n")
          .ok());
  EXPECT_FALSE(Positions::Parse("positions:\n  /a: minus-one\n").ok());
  EXPECT_TRUE(Positions::Parse("").ok());
}

TEST(PositionsTest, ReadsPromtailPositions) {
  auto entries = Positions::Parse("positions:\n  /var/log/syslog: \"4096\"\n");
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_FALSE((*entries)[0].has_identity());
  EXPECT_EQ((*entries)[0].offset, 4096u);
}

TEST(PositionsTest, ReadOnlyNeverWrites) {
  std::unique_ptr<FileSystem> fs = NewMemFileSystem();
  std::string problem;
  auto p = Positions::Open({fs.get(), "/p/positions.yaml", true}, &problem);
  ASSERT_TRUE(p.ok());
  (*p)->Set(Entry("/x", 1, 5));
  ASSERT_TRUE((*p)->Save().ok());
  EXPECT_FALSE(fs->FileExists("/p/positions.yaml"));
}

TEST(PositionsTest, SaveOnlyWhenChanged) {
  std::unique_ptr<FileSystem> fs = NewMemFileSystem();
  std::string problem;
  auto p = Positions::Open({fs.get(), "/p/positions.yaml", false}, &problem);
  ASSERT_TRUE(p.ok());
  (*p)->Set(Entry("/x", 1, 5));
  ASSERT_TRUE((*p)->Save().ok());
  ASSERT_TRUE(fs->RemoveFile("/p/positions.yaml").ok());
  (*p)->Set(Entry("/x", 1, 5));  // unchanged
  ASSERT_TRUE((*p)->Save().ok());
  EXPECT_FALSE(fs->FileExists("/p/positions.yaml"));
  (*p)->Remove(FileKey{2049, 1});
  ASSERT_TRUE((*p)->Save().ok());
  EXPECT_TRUE(fs->FileExists("/p/positions.yaml"));
}

}  // namespace
}  // namespace sluice::agent
