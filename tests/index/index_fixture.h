// Test helpers for index/: a fixture owning a fresh LevelDB index in a temporary directory,
// and shorthands for matchers and timestamps.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "common/matcher.h"
#include "index/index.h"

namespace sluice::index::testing {

inline constexpr int64_t kSecond = 1000LL * 1000 * 1000;
inline constexpr int64_t kHour = 3600 * kSecond;
inline constexpr int64_t kDay = 24 * kHour;
// 2024-05-29T00:00:00Z: a day boundary.
inline constexpr int64_t kDay0 = 19872 * kDay;

inline LabelMatcher M(MatchType type, std::string name, std::string value) {
  Result<LabelMatcher> m = LabelMatcher::Make(type, std::move(name), std::move(value));
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return *m;
}

inline LabelMatcher Eq(std::string n, std::string v) {
  return M(MatchType::kEqual, n, v);
}

inline LabelMatcher Ne(std::string n, std::string v) {
  return M(MatchType::kNotEqual, n, v);
}

inline LabelMatcher Re(std::string n, std::string v) {
  return M(MatchType::kRegex, n, v);
}

inline LabelMatcher Nre(std::string n, std::string v) {
  return M(MatchType::kNotRegex, n, v);
}

class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sluice-index-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    Reopen();
  }

  void TearDown() override {
    index_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  IndexOptions Options() {
    IndexOptions o;
    o.path = dir_ + "/index";
    return o;
  }

  void Reopen() { Reopen(Options()); }

  void Reopen(IndexOptions o) {
    index_.reset();
    auto r = Index::Open(std::move(o));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    index_ = std::move(*r);
  }

  // Registers `labels` for `tenant` with one entry of 10 bytes at ts.
  void Add(const std::string& tenant, const Labels& labels, int64_t ts, uint64_t entries = 1,
           uint64_t bytes = 10) {
    ASSERT_TRUE(index_->AddStream(tenant, labels.Hash(), labels, ts, entries, bytes).ok());
  }

  // Label sets (rendered) of the streams selected by `m` on day 0.
  std::vector<std::string> Select(const std::string& tenant, const Matchers& m,
                                  int64_t start = kDay0, int64_t end = kDay0 + kDay) {
    auto r = index_->SelectStreams(tenant, m, start, end);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::string> out;
    if (!r.ok()) {
      return out;
    }
    for (const auto& s : *r) {
      EXPECT_EQ(s.fp, s.labels.Hash());
      out.push_back(s.labels.ToString());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::string dir_;
  std::unique_ptr<Index> index_;
};

}  // namespace sluice::index::testing
