#include "common/file_system.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "testing/status_matchers.h"

namespace sluice {
namespace {

using testing::IsOk;

class PosixFileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sluice_fs_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }
  FileSystem* fs_ = FileSystem::Default();
  std::string dir_;
};

TEST_F(PosixFileSystemTest, WriteReadAppend) {
  std::string path = JoinPath(dir_, "a/b/file");
  ASSERT_THAT(fs_->CreateDirs(DirName(path)), IsOk());
  {
    auto f = fs_->NewWritableFile(path);
    ASSERT_THAT(f, IsOk());
    ASSERT_THAT((*f)->Append("hello "), IsOk());
    ASSERT_THAT((*f)->Sync(), IsOk());
  }
  {
    auto f = fs_->NewAppendableFile(path);
    ASSERT_THAT(f, IsOk());
    EXPECT_EQ((*f)->Size(), 6u);
    ASSERT_THAT((*f)->Append("world"), IsOk());
  }
  EXPECT_EQ(*ReadFileToString(fs_, path), "hello world");
  auto ra = fs_->NewRandomAccessFile(path);
  ASSERT_THAT(ra, IsOk());
  char scratch[16];
  std::string_view got;
  ASSERT_THAT((*ra)->Read(6, 100, &got, scratch), IsOk());
  EXPECT_EQ(got, "world");
}

TEST_F(PosixFileSystemTest, AtomicWriteAndListing) {
  std::string path = JoinPath(dir_, "positions.yaml");
  ASSERT_THAT(WriteFileAtomically(fs_, path, "one"), IsOk());
  ASSERT_THAT(WriteFileAtomically(fs_, path, "two"), IsOk());
  EXPECT_EQ(*ReadFileToString(fs_, path), "two");
  auto children = fs_->GetChildren(dir_);
  ASSERT_THAT(children, IsOk());
  EXPECT_EQ(*children, std::vector<std::string>{"positions.yaml"});
  EXPECT_FALSE(fs_->NewSequentialFile(JoinPath(dir_, "missing")).ok());
}

TEST(PathTest, JoinAndDirName) {
  EXPECT_EQ(JoinPath("a/", "b"), "a/b");
  EXPECT_EQ(DirName("a/b/c"), "a/b");
  EXPECT_EQ(DirName("c"), ".");
  EXPECT_EQ(DirName("/c"), "/");
}

}  // namespace
}  // namespace sluice
