// A Storage + Engine + Router with the Grafana routes (RegisterGrafanaRoutes), in a fresh
// temporary directory, and helpers to append entries and issue requests. No sockets.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/clock.h"
#include "common/time_util.h"
#include "ingest/appender.h"
#include "logql/engine.h"
#include "server/config.h"
#include "server/grafana_handlers.h"
#include "server/router.h"
#include "server/storage.h"
#include "testing/status_matchers.h"

namespace sluice::server {

// 2024-05-29T16:00:00Z: on an hour boundary, so index counter buckets are predictable.
inline constexpr int64_t kBaseNs = 1716998400LL * kNanosPerSecond;

class GrafanaFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sluice-grafana-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    StorageOptions so;
    so.dir = dir_.string();
    so.store.background_flush = false;
    auto storage = Storage::Open(std::move(so));
    ASSERT_THAT(storage, ::sluice::testing::IsOk());
    storage_ = std::move(*storage);
    engine_ = std::make_unique<logql::Engine>(storage_.get(), config_.query);
    clock_.Set(kBaseNs + 3600 * kNanosPerSecond);
    HandlerContext ctx;
    ctx.config = &config_;
    ctx.storage = storage_.get();
    ctx.engine = engine_.get();
    ctx.clock = &clock_;
    RegisterGrafanaRoutes(ctx, &router_);
  }

  void TearDown() override {
    if (storage_ != nullptr) {
      EXPECT_THAT(storage_->Close(), ::sluice::testing::IsOk());
    }
    engine_.reset();
    storage_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Append(const Labels& labels, std::vector<OwnedEntry> entries,
              const std::string& tenant = "fake") {
    std::vector<ingest::PushStream> streams(1);
    streams[0].labels = labels;
    streams[0].entries = std::move(entries);
    ingest::AppendReport report;
    ASSERT_THAT(storage_->Append(tenant, streams, &report), ::sluice::testing::IsOk());
  }

  static OwnedEntry E(int64_t offset_s, std::string line, std::vector<Label> md = {}) {
    return OwnedEntry{kBaseNs + offset_s * kNanosPerSecond, std::move(line), std::move(md)};
  }

  HttpResponse Get(const std::string& path, KeyValues params, KeyValues headers = {}) {
    HttpRequest r;
    r.method = "GET";
    r.path = path;
    r.params = std::move(params);
    r.headers = std::move(headers);
    return router_.Handle(std::move(r));
  }

  // start/end covering [kBaseNs, kBaseNs + 1h) as Loki ns strings.
  static KeyValues Range(KeyValues params) {
    params.emplace_back("start", std::to_string(kBaseNs));
    params.emplace_back("end", std::to_string(kBaseNs + 3600 * kNanosPerSecond));
    return params;
  }

  std::filesystem::path dir_;
  ServerConfig config_;
  ManualClock clock_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<logql::Engine> engine_;
  Router router_;
};

}  // namespace sluice::server
