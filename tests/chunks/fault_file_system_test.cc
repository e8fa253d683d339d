// Tests of common/mem_file_system and common/fault_file_system (owned by the chunks module,
// whose crash tests depend on them).
#include "common/fault_file_system.h"

#include <gtest/gtest.h>

#include "common/mem_file_system.h"
#include "testing/status_matchers.h"

namespace sluice {
namespace {

using sluice::testing::IsOk;

TEST(MemFileSystemTest, FilesAndDirectories) {
  auto fs = NewMemFileSystem();
  EXPECT_FALSE(fs->NewWritableFile("/a/b/f").ok());  // parent missing
  ASSERT_THAT(fs->CreateDirs("/a/b"), IsOk());
  ASSERT_THAT(WriteFileAtomically(fs.get(), "/a/b/f", "hello"), IsOk());
  EXPECT_EQ(*ReadFileToString(fs.get(), "/a/b/f"), "hello");
  EXPECT_EQ(*fs->GetFileSize("/a/b/f"), 5u);
  EXPECT_EQ(*fs->GetChildren("/a"), std::vector<std::string>{"b"});
  EXPECT_EQ(*fs->GetChildren("/a/b"), std::vector<std::string>{"f"});
  {
    auto f = fs->NewAppendableFile("/a/b/f");
    ASSERT_THAT(f, IsOk());
    EXPECT_EQ((*f)->Size(), 5u);
    ASSERT_THAT((*f)->Append(" world"), IsOk());
  }
  auto r = fs->NewRandomAccessFile("/a/b/f");
  ASSERT_THAT(r, IsOk());
  char buf[16];
  std::string_view got;
  ASSERT_THAT((*r)->Read(6, 10, &got, buf), IsOk());
  EXPECT_EQ(got, "world");
  ASSERT_THAT(fs->RenameFile("/a/b/f", "/a/g"), IsOk());
  EXPECT_FALSE(fs->FileExists("/a/b/f"));
  EXPECT_TRUE(fs->FileExists("/a/g"));
  ASSERT_THAT(fs->RemoveFile("/a/g"), IsOk());
  EXPECT_FALSE(fs->RemoveFile("/a/g").ok());
}

TEST(FaultFileSystemTest, UnsyncedBytesAndEntriesAreDropped) {
  auto base = NewMemFileSystem();
  auto fs = NewFaultInjectionFileSystem(base.get());
  ASSERT_THAT(fs->CreateDirs("/d"), IsOk());
  {
    auto f = fs->NewWritableFile("/d/synced");
    ASSERT_THAT(f, IsOk());
    ASSERT_THAT((*f)->Append("durable"), IsOk());
    ASSERT_THAT((*f)->Sync(), IsOk());
    ASSERT_THAT((*f)->Append(" lost"), IsOk());
  }
  ASSERT_THAT(fs->SyncDir("/d"), IsOk());
  ASSERT_THAT(WriteFileAtomically(fs.get(), "/d/atomic", "whole"), IsOk());  // syncs /d
  {
    auto f = fs->NewWritableFile("/d/no_dir_sync");
    ASSERT_THAT(f, IsOk());
    ASSERT_THAT((*f)->Append("x"), IsOk());
    ASSERT_THAT((*f)->Sync(), IsOk());
  }
  EXPECT_EQ(*ReadFileToString(fs.get(), "/d/synced"), "durable lost");
  ASSERT_THAT(fs->DropUnsyncedData(), IsOk());
  EXPECT_EQ(*ReadFileToString(fs.get(), "/d/synced"), "durable");
  EXPECT_FALSE(fs->FileExists("/d/no_dir_sync"));
  EXPECT_EQ(*ReadFileToString(fs.get(), "/d/atomic"), "whole");
}

TEST(FaultFileSystemTest, InactiveFailsWrites) {
  auto base = NewMemFileSystem();
  auto fs = NewFaultInjectionFileSystem(base.get());
  ASSERT_THAT(fs->CreateDirs("/d"), IsOk());
  auto f = fs->NewWritableFile("/d/f");
  ASSERT_THAT(f, IsOk());
  fs->SetFilesystemActive(false);
  EXPECT_FALSE((*f)->Append("x").ok());
  EXPECT_FALSE((*f)->Sync().ok());
  EXPECT_FALSE(fs->NewWritableFile("/d/g").ok());
  fs->SetFilesystemActive(true);
  EXPECT_THAT((*f)->Append("x"), IsOk());
}

}  // namespace
}  // namespace sluice
