// The Storage facade: Appender contract (durable append, rejections mapped back to request
// indices), Querier (index + head streams, line-filter pushdown, merge order), label answers
// before and after a flush, tenant isolation.
#include "server/storage.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace sluice::server {
namespace {

using ::sluice::testing::IsOk;

constexpr int64_t kSec = 1'000'000'000;

class ContainsFilter : public logql::LineFilter {
 public:
  explicit ContainsFilter(std::string s) : s_(std::move(s)) {}

  bool Matches(std::string_view line) const override {
    return line.find(s_) != std::string_view::npos;
  }

 private:
  std::string s_;
};

class StorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sluice-storage-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Open();
  }

  void TearDown() override {
    storage_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Open() {
    StorageOptions o;
    o.dir = dir_.string();
    o.store.background_flush = false;
    auto s = Storage::Open(std::move(o));
    ASSERT_THAT(s, IsOk());
    storage_ = std::move(*s);
  }

  static ingest::PushStream Stream(Labels labels, std::vector<std::pair<int64_t, std::string>> es) {
    ingest::PushStream s;
    s.labels = std::move(labels);
    for (auto& [ts, line] : es)
      s.entries.push_back(OwnedEntry{ts, line, {}});
    return s;
  }

  std::vector<std::pair<int64_t, std::string>> Select(
      const std::string& tenant, Matchers m, Direction dir,
      std::shared_ptr<const logql::LineFilter> f = {}) {
    logql::SelectLogsParams p;
    p.tenant = tenant;
    p.matchers = std::move(m);
    p.start_ns = base_;
    p.end_ns = base_ + 1000 * kSec;
    p.direction = dir;
    p.line_filter = std::move(f);
    auto it = storage_->SelectLogs(p);
    EXPECT_THAT(it, IsOk());
    std::vector<std::pair<int64_t, std::string>> out;
    while ((*it)->Next())
      out.emplace_back((*it)->At().timestamp_ns, std::string((*it)->At().line));
    EXPECT_THAT((*it)->status(), IsOk());
    return out;
  }

  static Matchers Eq(const std::string& name, const std::string& value) {
    return {*LabelMatcher::Make(MatchType::kEqual, name, value)};
  }

  std::filesystem::path dir_;
  std::unique_ptr<Storage> storage_;
  int64_t base_ = Clock::Default()->NowNanos() - 600 * kSec;
};

TEST_F(StorageTest, AppendThenSelectMergedInBothDirections) {
  Labels a = Labels::FromPairs({{"app", "a"}, {"env", "x"}});
  Labels b = Labels::FromPairs({{"app", "b"}, {"env", "x"}});
  ingest::AppendReport report;
  ASSERT_THAT(storage_->Append("t",
                               {Stream(a, {{base_ + 1, "a1"}, {base_ + 3, "a3"}}),
                                Stream(b, {{base_ + 2, "b2"}, {base_ + 4, "b4 needle"}})},
                               &report),
              IsOk());
  EXPECT_EQ(report.accepted_entries, 4);
  EXPECT_TRUE(report.rejections.empty());
  using V = std::vector<std::pair<int64_t, std::string>>;
  EXPECT_EQ(Select("t", Eq("env", "x"), Direction::kForward),
            (V{{base_ + 1, "a1"}, {base_ + 2, "b2"}, {base_ + 3, "a3"}, {base_ + 4, "b4 needle"}}));
  EXPECT_EQ(Select("t", Eq("env", "x"), Direction::kBackward),
            (V{{base_ + 4, "b4 needle"}, {base_ + 3, "a3"}, {base_ + 2, "b2"}, {base_ + 1, "a1"}}));
  EXPECT_EQ(
      Select("t", Eq("env", "x"), Direction::kForward, std::make_shared<ContainsFilter>("needle")),
      (V{{base_ + 4, "b4 needle"}}));
  EXPECT_EQ(Select("t", Eq("app", "a"), Direction::kForward),
            (V{{base_ + 1, "a1"}, {base_ + 3, "a3"}}));
  EXPECT_TRUE(Select("other", Eq("env", "x"), Direction::kForward).empty());
}

TEST_F(StorageTest, RejectionsAndDuplicatesAreReportedByRequestIndex) {
  Labels a = Labels::FromPairs({{"app", "a"}});
  ASSERT_THAT(storage_->Append("t", {Stream(a, {{base_ + 7200 * kSec, "new"}})}, nullptr), IsOk());
  ingest::AppendReport report;
  ASSERT_THAT(storage_->Append("t",
                               {Stream(Labels::FromPairs({{"app", "b"}}), {{base_, "fine"}}),
                                Stream(a, {{base_ + 7200 * kSec, "new"},  // duplicate
                                           {base_, "two hours behind"},   // beyond 1 h window
                                           {base_ + 7100 * kSec, "in window"}})},
                               &report),
              IsOk());
  EXPECT_EQ(report.accepted_entries, 2);
  EXPECT_EQ(report.duplicates_dropped, 1);
  ASSERT_EQ(report.rejections.size(), 1u);
  EXPECT_EQ(report.rejections[0].stream_index, 1u);
  EXPECT_EQ(report.rejections[0].entry_index, 1u);
  EXPECT_EQ(report.rejections[0].reason, ingest::RejectReason::kTooFarBehind);
  EXPECT_EQ(report.rejections[0].bound_ns, base_ + 3600 * kSec);
}

TEST_F(StorageTest, LabelsAndSeriesBeforeAndAfterFlushAndReopen) {
  ASSERT_THAT(
      storage_->Append("t",
                       {Stream(Labels::FromPairs({{"app", "a"}, {"pod", "p1"}}), {{base_, "x"}}),
                        Stream(Labels::FromPairs({{"app", "b"}}), {{base_, "y"}})},
                       nullptr),
      IsOk());
  auto check = [&] {
    auto names = storage_->LabelNames("t", {}, base_, base_ + kSec);
    ASSERT_THAT(names, IsOk());
    EXPECT_EQ(*names, (std::vector<std::string>{"app", "pod"}));
    auto values = storage_->LabelValues("t", "app", {}, base_, base_ + kSec);
    ASSERT_THAT(values, IsOk());
    EXPECT_EQ(*values, (std::vector<std::string>{"a", "b"}));
    auto filtered = storage_->LabelValues("t", "app", Eq("pod", "p1"), base_, base_ + kSec);
    EXPECT_EQ(*filtered, (std::vector<std::string>{"a"}));
    auto series = storage_->Series("t", Eq("app", "b"), base_, base_ + kSec);
    ASSERT_THAT(series, IsOk());
    ASSERT_EQ(series->size(), 1u);
    EXPECT_EQ((*series)[0].ToString(), R"({app="b"})");
    auto other = storage_->LabelNames("u", {}, base_, base_ + kSec);
    EXPECT_TRUE(other->empty());
    EXPECT_EQ(Select("t", Eq("app", "a"), Direction::kForward).size(), 1u);
  };
  check();
  ASSERT_THAT(storage_->Close(), IsOk());
  storage_.reset();
  Open();
  check();
}

}  // namespace
}  // namespace sluice::server
