#include "chunks/object_store.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "common/mem_file_system.h"
#include "testing/status_matchers.h"

namespace sluice::chunks {
namespace {

using sluice::testing::IsOk;
using sluice::testing::StatusIs;

// Runs against the in-memory file system and a real temporary directory.
class ObjectStoreTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      root_ = (std::filesystem::temp_directory_path() /
               ("sluice_objects_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                  .string();
      std::filesystem::remove_all(root_);
      fs_ = FileSystem::Default();
    } else {
      mem_ = NewMemFileSystem();
      fs_ = mem_.get();
      root_ = "/objects";
    }
    ASSERT_THAT(fs_->CreateDirs(root_), IsOk());
    store_ = NewLocalObjectStore(fs_, root_);
  }

  void TearDown() override {
    if (GetParam()) {
      std::filesystem::remove_all(root_);
    }
  }

  std::unique_ptr<FileSystem> mem_;
  FileSystem* fs_ = nullptr;
  std::string root_;
  std::unique_ptr<ObjectStore> store_;
};

TEST_P(ObjectStoreTest, PutGetListDelete) {
  ASSERT_THAT(store_->Put("t1/aa/1", "one"), IsOk());
  ASSERT_THAT(store_->Put("t1/bb/2", "two"), IsOk());
  ASSERT_THAT(store_->Put("t2/aa/3", std::string(100000, 'x')), IsOk());
  ASSERT_THAT(store_->Put("t1/aa/1", "uno"), IsOk());  // replaces
  EXPECT_EQ(*store_->Get("t1/aa/1"), "uno");
  EXPECT_EQ(store_->Get("t2/aa/3")->size(), 100000u);
  EXPECT_THAT(store_->Get("t1/zz"), StatusIs(StatusCode::kNotFound, "t1/zz"));
  EXPECT_EQ(*store_->List(""), (std::vector<std::string>{"t1/aa/1", "t1/bb/2", "t2/aa/3"}));
  EXPECT_EQ(*store_->List("t1/"), (std::vector<std::string>{"t1/aa/1", "t1/bb/2"}));
  EXPECT_EQ(*store_->List("t1/a"), (std::vector<std::string>{"t1/aa/1"}));
  EXPECT_EQ(*store_->List("t1"), (std::vector<std::string>{"t1/aa/1", "t1/bb/2"}));
  EXPECT_TRUE(store_->List("t3/")->empty());
  ASSERT_THAT(store_->Delete("t1/aa/1"), IsOk());
  ASSERT_THAT(store_->Delete("t1/aa/1"), IsOk());  // missing: OK
  EXPECT_EQ(*store_->List("t1/"), (std::vector<std::string>{"t1/bb/2"}));
}

TEST_P(ObjectStoreTest, RejectsKeysThatEscapeTheRoot) {
  for (std::string key : {"", "/abs", "a/../../etc", "..", "a//b", "a/./b", "a/", "x.tmp"}) {
    EXPECT_THAT(store_->Put(key, "x"), StatusIs(StatusCode::kInvalidArgument, "invalid key"))
        << key;
    EXPECT_THAT(store_->Get(key), StatusIs(StatusCode::kInvalidArgument, "invalid key")) << key;
  }
}

INSTANTIATE_TEST_SUITE_P(FileSystems, ObjectStoreTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Posix" : "Mem"; });

}  // namespace
}  // namespace sluice::chunks
