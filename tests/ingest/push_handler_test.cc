#include "ingest/push_handler.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/clock.h"
#include "ingest/ingest.h"
#include "test_bodies.h"

namespace sluice::ingest {
namespace {

using ::testing::HasSubstr;
using testing::MakeRequest;
using testing::MemoryAppender;

constexpr int64_t kSec = 1'000'000'000;
constexpr int64_t kNow = 1717000000 * kSec;  // 2024-05-29T16:26:40Z

class PushHandlerTest : public ::testing::Test {
 protected:
  PushHandlerTest() : clock_(kNow) { options_.clock = &clock_; }

  PushResponse Push(std::string_view body, std::string_view type = "application/json",
                    std::string_view encoding = "", std::string_view tenant = "fake") {
    if (!handler_)
      handler_ = std::make_unique<PushHandler>(options_, &appender_);
    return handler_->Handle(PushHttpRequest{tenant, type, true, encoding, body});
  }

  static std::string Json(std::string_view labels, std::string_view values) {
    return R"({"streams":[{"stream":)" + std::string(labels) + R"(,"values":)" +
           std::string(values) + "}]}";
  }

  static std::string Ts(int64_t ns) { return "\"" + std::to_string(ns) + "\""; }

  const std::vector<PushStream>& Stored() {
    EXPECT_EQ(appender_.pushes.size(), 1u);
    static const std::vector<PushStream> kEmpty;
    return appender_.pushes.empty() ? kEmpty : appender_.pushes.back().second;
  }

  ManualClock clock_;
  PushOptions options_;
  MemoryAppender appender_;
  std::unique_ptr<PushHandler> handler_;
};

TEST_F(PushHandlerTest, JsonPushStoresNormalisedStreamWithServiceNameAndLevel) {
  auto r = Push(Json(R"({"job":"api","env":"prod","empty":""})",
                     "[[" + Ts(kNow) + R"(,"level=error msg=boom"]])"));
  EXPECT_EQ(r.http_status, 204);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(r.lines_accepted, 1);
  EXPECT_EQ(r.bytes_accepted, 20);
  const auto& s = Stored();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].labels.ToString(), R"({env="prod", job="api", service_name="api"})");
  ASSERT_EQ(s[0].entries.size(), 1u);
  EXPECT_EQ(s[0].entries[0].timestamp_ns, kNow);
  EXPECT_EQ(s[0].entries[0].line, "level=error msg=boom");
  EXPECT_EQ(s[0].entries[0].metadata, (std::vector<Label>{{"detected_level", "error"}}));
}

TEST_F(PushHandlerTest, ServiceNameCandidatesInLokiOrderElseUnknown) {
  Push(R"({"streams":[)"
       R"({"stream":{"container":"c","app":"a"},"values":[[")" +
       std::to_string(kNow) +
       R"(","x"]]},)"
       R"({"stream":{"foo":"bar"},"values":[[")" +
       std::to_string(kNow) +
       R"(","y"]]},)"
       R"({"stream":{"service_name":"mine","job":"j"},"values":[[")" +
       std::to_string(kNow) + R"(","z"]]}]})");
  const auto& s = Stored();
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].labels.Get("service_name"), "a");
  EXPECT_EQ(s[1].labels.Get("service_name"), "unknown_service");
  EXPECT_EQ(s[2].labels.Get("service_name"), "mine");
}

TEST_F(PushHandlerTest, DiscoveryCanBeTurnedOff) {
  options_.defaults.discover_service_name = false;
  options_.defaults.discover_log_levels = false;
  Push(Json(R"({"app":"a"})", "[[" + Ts(kNow) + R"(,"ERROR boom"]])"));
  const auto& s = Stored();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_FALSE(s[0].labels.Has("service_name"));
  EXPECT_TRUE(s[0].entries[0].metadata.empty());
}

TEST_F(PushHandlerTest, SameLabelSetsAreMergedInRequestOrder) {
  // pino-loki: one stream object per line, labels in varying order.
  std::string body = R"({"streams":[)";
  for (int i = 0; i < 4; ++i) {
    if (i > 0)
      body += ",";
    std::string labels = i % 2 ? R"({"b":"2","a":"1"})" : R"({"a":"1","b":"2","c":""})";
    body += R"({"stream":)" + labels + R"(,"values":[[)" + Ts(kNow + i) + ",\"l" +
            std::to_string(i) + "\"]]}";
  }
  body += "]}";
  EXPECT_EQ(Push(body).http_status, 204);
  const auto& s = Stored();
  ASSERT_EQ(s.size(), 1u);
  ASSERT_EQ(s[0].entries.size(), 4u);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(s[0].entries[i].line, "l" + std::to_string(i));
}

TEST_F(PushHandlerTest, ProtobufSnappyWithMetadata) {
  auto req = MakeRequest({{R"({app="api", env="prod"})",
                           {{kNow, "hello", {{"trace_id", "abc"}, {"level", "WARNING"}}}}}});
  auto r = Push(testing::SnappyProto(req), "application/x-protobuf");
  EXPECT_EQ(r.http_status, 204) << r.body;
  const auto& s = Stored();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].labels.ToString(), R"({app="api", env="prod", service_name="api"})");
  EXPECT_EQ(
      s[0].entries[0].metadata,
      (std::vector<Label>{{"detected_level", "warn"}, {"level", "WARNING"}, {"trace_id", "abc"}}));
}

TEST_F(PushHandlerTest, ExistingDetectedLevelIsNormalisedNotReplaced) {
  auto req = MakeRequest({{R"({app="a"})", {{kNow, "info", {{"detected_level", "ERR"}}}}}});
  EXPECT_EQ(Push(testing::SnappyProto(req), "application/x-protobuf").http_status, 204);
  EXPECT_EQ(Stored()[0].entries[0].metadata, (std::vector<Label>{{"detected_level", "error"}}));
}

TEST_F(PushHandlerTest, ContentEncodings) {
  std::string json = Json(R"({"a":"b"})", "[[" + Ts(kNow) + R"(,"x"]])");
  EXPECT_EQ(Push(testing::Gzip(json), "application/json", "gzip").http_status, 204);
  EXPECT_EQ(Push(testing::RawDeflate(json), "application/json", "deflate").http_status, 204);
  auto proto = testing::SnappyProto(MakeRequest({{R"({a="b"})", {{kNow, "x"}}}}));
  EXPECT_EQ(Push(proto, "application/x-protobuf", "snappy").http_status, 204);
  EXPECT_EQ(Push(testing::Gzip(proto), "application/x-protobuf", "gzip").http_status, 204);
  EXPECT_EQ(Push(json, "application/json; charset=utf-8").http_status, 204);
  EXPECT_EQ(Push(json, "Application/JSON").http_status, 204);
  EXPECT_EQ(appender_.pushes.size(), 6u);
}

TEST_F(PushHandlerTest, MalformedBodiesAre400WithLokiTexts) {
  std::string json = Json(R"({"a":"b"})", "[[" + Ts(kNow) + R"(,"x"]])");
  auto r = Push(json, "application/json", "br");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(r.body, "Content-Encoding \"br\" not supported");
  r = Push(json, "");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(r.body, "mime: no media type");
  r = Push(json, "application/json", "gzip");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(r.body, "gzip: invalid header");
  r = Push(testing::Gzip(json).substr(0, 20), "application/json", "gzip");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(r.body, "unexpected EOF");
  r = Push("not snappy at all", "application/x-protobuf");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(r.body, "snappy: corrupt input");
  std::string proto = testing::SnappyProto(MakeRequest({{R"({a="b"})", {{kNow, "x"}}}}));
  r = Push(proto.substr(0, proto.size() - 3), "application/x-protobuf");
  EXPECT_EQ(r.http_status, 400);
  r = Push("{\"streams\":[{", "application/json");
  EXPECT_EQ(r.http_status, 400);
  r = Push("\x01\x02garbage\xff", "application/json");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_TRUE(appender_.pushes.empty());
}

TEST_F(PushHandlerTest, UnparsableLabelsRejectWholeRequest) {
  auto req = MakeRequest({{R"({a="b"})", {{kNow, "ok"}}}, {R"({a="b)", {{kNow, "x"}}}});
  auto r = Push(testing::SnappyProto(req), "application/x-protobuf");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_THAT(r.body, HasSubstr("couldn't parse labels: "));
  r = Push(Json(R"({"bad-name":"b"})", "[[" + Ts(kNow) + R"(,"x"]])"));
  EXPECT_EQ(r.http_status, 400);
  EXPECT_THAT(r.body, HasSubstr("couldn't parse labels: "));
  EXPECT_TRUE(appender_.pushes.empty());
}

TEST_F(PushHandlerTest, BadTimestampsInJson) {
  auto r = Push(Json(R"({"a":"b"})", R"([[1717000000000000000,"x"]])"));
  EXPECT_EQ(r.http_status, 400);
  r = Push(Json(R"({"a":"b"})", R"([["2024-05-29T16:26:40Z","x"]])"));
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(r.body,
            "error reading entry timestamp: strconv.ParseInt: parsing \"2024-05-29T16:26:40Z\": "
            "invalid syntax");
  r = Push(Json(R"({"a":"b"})", R"([["99999999999999999999","x"]])"));
  EXPECT_EQ(r.http_status, 400);
  EXPECT_THAT(r.body, HasSubstr("value out of range"));
  r = Push(Json(R"({"a":"b"})", "[[" + Ts(kNow) + R"(,"x",{"k":1}]])"));
  EXPECT_EQ(r.http_status, 400);
  r = Push(Json(R"({"a":"b"})", "[[" + Ts(kNow) + R"(,"x",{},"extra"]])"));
  EXPECT_EQ(r.http_status, 400);
  EXPECT_TRUE(appender_.pushes.empty());
}

TEST_F(PushHandlerTest, NoStreamsIs422ButEmptyStreamsAre204) {
  auto r = Push(R"({"streams":[]})");
  EXPECT_EQ(r.http_status, 422);
  EXPECT_EQ(r.body, "error at least one valid stream is required for ingestion");
  EXPECT_EQ(Push(R"({})").http_status, 422);
  r = Push(
      R"({"streams":[{"stream":{"a":"b"},"values":null},{"stream":{"a":"c"},"values":[null]}]})");
  EXPECT_EQ(r.http_status, 204);
  EXPECT_TRUE(appender_.pushes.empty());
}

TEST_F(PushHandlerTest, TimestampTooOldAndTooNewWithPartialBatch) {
  int64_t old_ts = kNow - 8 * 24 * 3600 * kSec;
  std::string body = R"({"streams":[{"stream":{"app":"a"},"values":[)"
                     "[" +
                     Ts(old_ts) + R"(,"old"],[)" + Ts(kNow) + R"(,"good"]]}]})";
  auto r = Push(body);
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(r.body,
            "entry for stream '{app=\"a\", service_name=\"a\"}' has timestamp too old: "
            "2024-05-21T16:26:40Z, oldest acceptable timestamp is: 2024-05-22T16:26:40Z");
  ASSERT_EQ(Stored().size(), 1u);
  ASSERT_EQ(Stored()[0].entries.size(), 1u);
  EXPECT_EQ(Stored()[0].entries[0].line, "good");
  EXPECT_EQ(r.lines_accepted, 1);

  r = Push(Json(R"({"app":"a"})", "[[" + Ts(kNow + 11 * 60 * kSec) + R"(,"future"]])"));
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(r.body,
            "entry for stream '{app=\"a\", service_name=\"a\"}' has timestamp too new: "
            "2024-05-29T16:37:40Z");
  EXPECT_EQ(
      Push(Json(R"({"app":"a"})", "[[" + Ts(kNow + 9 * 60 * kSec) + R"(,"ok"]])")).http_status,
      204);
}

TEST_F(PushHandlerTest, LineTooLongRejectedOrTruncated) {
  options_.defaults.max_line_size = 10;
  auto r = Push(Json(R"({"app":"a"})", "[[" + Ts(kNow) + R"(,"0123456789abc"]])"));
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(r.body,
            "Max entry size '10' bytes exceeded for stream '{app=\"a\", service_name=\"a\"}' "
            "while adding an entry with length '13' bytes");
  EXPECT_TRUE(appender_.pushes.empty());
  options_.defaults.max_line_size_truncate = true;
  handler_.reset();
  r = Push(Json(R"({"app":"a"})", "[[" + Ts(kNow) + R"(,"0123456789abc"]])"));
  EXPECT_EQ(r.http_status, 204);
  EXPECT_EQ(Stored()[0].entries[0].line, "0123456789");
}

TEST_F(PushHandlerTest, DefaultLineLimitIs256000Bytes) {
  std::string ok(256000, 'x'), big(256001, 'x');
  EXPECT_EQ(Push(Json(R"({"app":"a"})", "[[" + Ts(kNow) + ",\"" + ok + "\"]]")).http_status, 204);
  EXPECT_EQ(Push(Json(R"({"app":"a"})", "[[" + Ts(kNow) + ",\"" + big + "\"]]")).http_status, 400);
}

TEST_F(PushHandlerTest, LabelLimits) {
  std::string labels = "{";
  for (int i = 0; i < 16; ++i)
    labels += (i ? "," : "") + std::string("l") + std::to_string(i) + "=\"v\"";
  labels += "}";
  auto req = MakeRequest({{labels, {{kNow, "x"}}}});
  auto r = Push(testing::SnappyProto(req), "application/x-protobuf");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_THAT(r.body, HasSubstr("has 16 label names; limit 15"));
  EXPECT_TRUE(appender_.pushes.empty());

  // 15 labels plus service_name is fine.
  std::string fifteen = labels.substr(0, labels.rfind(',')) + "}";
  EXPECT_EQ(
      Push(testing::SnappyProto(MakeRequest({{fifteen, {{kNow, "x"}}}})), "application/x-protobuf")
          .http_status,
      204);

  r = Push(testing::SnappyProto(MakeRequest({{R"({a="1", a="2"})", {{kNow, "x"}}}})),
           "application/x-protobuf");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(r.body,
            "stream '{a=\"1\", a=\"2\", service_name=\"unknown_service\"}' has duplicate "
            "label name: 'a'");

  r = Push(Json("{\"" + std::string(1025, 'n') + "\":\"v\"}", "[[" + Ts(kNow) + R"(,"x"]])"));
  EXPECT_EQ(r.http_status, 400);
  EXPECT_THAT(r.body, HasSubstr("has label name too long: 'nnn"));
  r = Push(Json("{\"app\":\"" + std::string(2049, 'v') + "\"}", "[[" + Ts(kNow) + R"(,"x"]])"));
  EXPECT_EQ(r.http_status, 400);
  EXPECT_THAT(r.body, HasSubstr("has label value too long: 'vvv"));
}

TEST_F(PushHandlerTest, EmptyLabelSetGetsUnknownServiceOrIsRejected) {
  auto proto = testing::SnappyProto(MakeRequest({{"{}", {{kNow, "x"}}}}));
  EXPECT_EQ(Push(proto, "application/x-protobuf").http_status, 204);
  EXPECT_EQ(Stored()[0].labels.ToString(), R"({service_name="unknown_service"})");
  options_.defaults.discover_service_name = false;
  handler_.reset();
  auto r = Push(proto, "application/x-protobuf");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(r.body, "error at least one label pair is required per stream");
}

TEST_F(PushHandlerTest, PartialBatchStoresGoodStreamsAndGroupsErrors) {
  std::string labels = "{";
  for (int i = 0; i < 16; ++i)
    labels += (i ? "," : "") + std::string("l") + std::to_string(i) + "=\"v\"";
  labels += "}";
  int64_t old_ts = kNow - 30 * 24 * 3600 * kSec;
  auto req = MakeRequest(
      {{R"({app="good"})", {{kNow, "a"}, {old_ts, "b"}, {old_ts, "c"}}}, {labels, {{kNow, "x"}}}});
  auto r = Push(testing::SnappyProto(req), "application/x-protobuf");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_THAT(r.body, HasSubstr("2 errors like: entry for stream '{app=\"good\", "
                                "service_name=\"good\"}' has timestamp too old"));
  EXPECT_THAT(r.body, HasSubstr("; 1 errors like: entry for stream '"));
  ASSERT_EQ(Stored().size(), 1u);
  EXPECT_EQ(Stored()[0].entries.size(), 1u);
}

TEST_F(PushHandlerTest, StructuredMetadataLimitsAndSanitising) {
  options_.defaults.max_structured_metadata_entries = 2;
  auto req = MakeRequest({{R"({app="a"})", {{kNow, "x", {{"a", "1"}, {"b", "2"}, {"c", "3"}}}}}});
  auto r = Push(testing::SnappyProto(req), "application/x-protobuf");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_THAT(r.body, HasSubstr("has too many structured metadata labels: '3', limit: '2'"));
  options_.defaults.max_structured_metadata_size = 4;
  handler_.reset();
  r = Push(testing::SnappyProto(MakeRequest({{R"({app="a"})", {{kNow, "x", {{"abc", "de"}}}}}})),
           "application/x-protobuf");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_THAT(r.body, HasSubstr("has structured metadata too large: '5' bytes, limit: '4' bytes"));

  options_ = PushOptions();
  options_.clock = &clock_;
  handler_.reset();
  req = MakeRequest({{R"({app="a"})", {{kNow, "x", {{"trace.id", "a\xff"}, {"1x", "v"}}}}}});
  EXPECT_EQ(Push(testing::SnappyProto(req), "application/x-protobuf").http_status, 204);
  EXPECT_EQ(
      Stored()[0].entries[0].metadata,
      (std::vector<Label>{{"detected_level", "unknown"}, {"key_1x", "v"}, {"trace_id", "a "}}));
}

TEST_F(PushHandlerTest, InvalidUtf8LinesAreAcceptedFromProtobuf) {
  auto req = MakeRequest({{"{app=\"\xc3\x28\"}", {{kNow, "bad \xff\xfe line"}}}});
  EXPECT_EQ(Push(testing::SnappyProto(req), "application/x-protobuf").http_status, 204);
  EXPECT_EQ(Stored()[0].entries[0].line, "bad \xff\xfe line");
}

TEST_F(PushHandlerTest, TenantIdsAreChecked) {
  std::string json = Json(R"({"a":"b"})", "[[" + Ts(kNow) + R"(,"x"]])");
  auto r = Push(json, "application/json", "", "../etc");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(r.body, "tenant ID '../etc' contains unsupported character '/'");
  r = Push(json, "application/json", "", "..");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(r.body, "tenant ID is '.' or '..'");
  r = Push(json, "application/json", "", std::string(151, 'a'));
  EXPECT_EQ(r.body, "tenant ID is too long: max 150 characters");
  EXPECT_EQ(Push(json, "application/json", "", "team-a").http_status, 204);
  EXPECT_EQ(appender_.pushes.size(), 1u);
  EXPECT_EQ(appender_.pushes[0].first, "team-a");
}

TEST_F(PushHandlerTest, BodySizeLimits) {
  options_.max_body_bytes = 100;
  std::string json = Json(R"({"a":"b"})", "[[" + Ts(kNow) + ",\"" + std::string(200, 'x') + "\"]]");
  auto r = Push(json);
  EXPECT_EQ(r.http_status, 413);
  EXPECT_EQ(r.body,
            "request body too large: " + std::to_string(json.size()) + " bytes, limit: 100 bytes");
  options_.max_body_bytes = 1 << 20;
  options_.max_decompressed_bytes = 1000;
  handler_.reset();
  std::string bomb =
      Json(R"({"a":"b"})", "[[" + Ts(kNow) + ",\"" + std::string(100000, 'x') + "\"]]");
  r = Push(testing::Gzip(bomb), "application/json", "gzip");
  EXPECT_EQ(r.http_status, 413);
  EXPECT_THAT(r.body, HasSubstr("limit: 1000 bytes"));
  auto proto =
      testing::SnappyProto(MakeRequest({{R"({a="b"})", {{kNow, std::string(5000, 'x')}}}}));
  EXPECT_EQ(Push(proto, "application/x-protobuf").http_status, 413);
}

TEST_F(PushHandlerTest, RateLimitIs429AndStoresNothing) {
  options_.defaults.ingestion_rate_mb = 1.0 / 1024;  // 1024 bytes/s
  options_.defaults.ingestion_burst_size_mb = 1.0 / 1024;
  std::string line(600, 'x');
  std::string body = Json(R"({"a":"b"})", "[[" + Ts(kNow) + ",\"" + line + "\"]]");
  EXPECT_EQ(Push(body).http_status, 204);
  auto r = Push(body);
  EXPECT_EQ(r.http_status, 429);
  EXPECT_EQ(r.body,
            "Ingestion rate limit exceeded for user fake (limit: 1024 bytes/sec) while attempting "
            "to ingest '1' lines totaling '600' bytes, reduce log volume or contact your Loki "
            "administrator to see if the limit can be increased");
  EXPECT_EQ(appender_.pushes.size(), 1u);
  clock_.Advance(1 * kSec);
  EXPECT_EQ(Push(body).http_status, 204);
  // Other tenants have their own bucket.
  EXPECT_EQ(Push(body, "application/json", "", "other").http_status, 204);
}

TEST_F(PushHandlerTest, ActiveStreamLimit) {
  options_.defaults.max_streams_per_user = 2;
  auto one = [&](std::string_view app) {
    return Push(Json(std::string(R"({"app":")") + std::string(app) + "\"}",
                     "[[" + Ts(clock_.NowNanos()) + R"(,"x"]])"));
  };
  EXPECT_EQ(one("a").http_status, 204);
  EXPECT_EQ(one("b").http_status, 204);
  EXPECT_EQ(one("a").http_status, 204);
  auto r = one("c");
  EXPECT_EQ(r.http_status, 429);
  EXPECT_EQ(r.body,
            "Maximum active stream limit exceeded when trying to create stream {app=\"c\", "
            "service_name=\"c\"}, reduce the number of active streams (reduce labels or reduce "
            "label values), or contact your Loki administrator to see if the limit can be "
            "increased, user: 'fake'");
  clock_.Advance(31 * 60 * kSec);  // a and b go idle
  EXPECT_EQ(one("c").http_status, 204);
}

TEST_F(PushHandlerTest, PerTenantLimitsOverrideDefaults) {
  options_.per_tenant["small"].max_line_size = 3;
  std::string body = Json(R"({"a":"b"})", "[[" + Ts(kNow) + R"(,"abcd"]])");
  EXPECT_EQ(Push(body, "application/json", "", "small").http_status, 400);
  EXPECT_EQ(Push(body, "application/json", "", "big").http_status, 204);
}

TEST_F(PushHandlerTest, StoreRejectionsUseIngesterText) {
  appender_.set_window(3600 * kSec, kNow);
  std::string body = R"({"streams":[{"stream":{"app":"a"},"values":[)"
                     "[" +
                     Ts(kNow - 2 * 3600 * kSec) + R"(,"late"],[)" + Ts(kNow) + R"(,"fine"]]}]})";
  auto r = Push(body);
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(r.body,
            "entry with timestamp 2024-05-29 14:26:40 +0000 UTC ignored, reason: 'entry too far "
            "behind, entry timestamp is: 2024-05-29T14:26:40Z, oldest acceptable timestamp is: "
            "2024-05-29T15:26:40Z',\nuser 'fake', total ignored: 1 out of 2 for stream: "
            "{app=\"a\", service_name=\"a\"}");
  EXPECT_EQ(r.lines_accepted, 1);
  EXPECT_EQ(r.bytes_accepted, 4);
}

TEST_F(PushHandlerTest, AppenderFailureIs500) {
  appender_.set_failure(IOError("disk full"));
  auto r = Push(Json(R"({"a":"b"})", "[[" + Ts(kNow) + R"(,"x"]])"));
  EXPECT_EQ(r.http_status, 500);
  EXPECT_EQ(r.body, "disk full");
}

}  // namespace
}  // namespace sluice::ingest
