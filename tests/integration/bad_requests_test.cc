// A corpus of malformed requests: each is answered 4xx (never 5xx: clients retry those) and the
// server stays healthy.
#include <fstream>

#include <gtest/gtest.h>

#include "loki_test_util.h"
#include "server_process.h"

namespace sluice::integration {
namespace {

constexpr int64_t kSec = 1'000'000'000;

class BadRequestsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    std::string config = tmp_->path() + "/sluice.yaml";
    std::ofstream(config) << "server:\n  max_request_body_size: 1MiB\n";
    server_ = new ServerProcess(tmp_->path() + "/data", {"--config", config});
    ASSERT_TRUE(server_->Start()) << server_->log();
  }

  static void TearDownTestSuite() {
    EXPECT_EQ(server_->Stop(), 0) << server_->log();
    delete server_;
    delete tmp_;
  }

  static uint16_t port() { return server_->port(); }

  static std::string OneEntry(const std::string& labels_json, const std::string& value_json) {
    return R"({"streams":[{"stream":)" + labels_json + R"(,"values":[)" + value_json + "]}]}";
  }

  static std::string Now() { return std::to_string(NowNs()); }

  void ExpectHealthy() {
    EXPECT_EQ(HttpRequest(port(), "GET", "/ready").status, 200);
    TestStream s{{{"app", "ok"}}, {{NowNs(), "still fine", {}}}};
    EXPECT_EQ(Push(port(), "", "application/json", JsonPushBody({s})).status, 204);
  }

  static TempDir* tmp_;
  static ServerProcess* server_;
};

TempDir* BadRequestsTest::tmp_ = nullptr;
ServerProcess* BadRequestsTest::server_ = nullptr;

struct BadPush {
  std::string name;
  std::string tenant;
  std::string content_type;
  std::string encoding;
  std::string body;
  int want;  // expected status
};

TEST_F(BadRequestsTest, MalformedPushesAre4xx) {
  std::string valid_proto = ProtoPushBody({TestStream{{{"app", "x"}}, {{NowNs(), "l", {}}}}});
  std::vector<BadPush> corpus = {
      {"garbage protobuf", "", "application/x-protobuf", "", "\x01\x02garbage\xff\xfe", 400},
      {"truncated protobuf", "", "application/x-protobuf", "",
       valid_proto.substr(0, valid_proto.size() / 2), 400},
      {"not snappy", "", "application/x-protobuf", "", "definitely not snappy data", 400},
      {"garbage json", "", "application/json", "", "{\"streams\": [", 400},
      {"json not object", "", "application/json", "", "[1,2,3]", 400},
      {"missing content type", "", "", "", OneEntry(R"({"a":"b"})", "[\"" + Now() + "\",\"x\"]"),
       400},
      {"unsupported encoding", "", "application/json", "br", "{}", 400},
      {"corrupt gzip", "", "application/json", "gzip", "\x1f\x8b\x08\x00garbage", 400},
      {"invalid label name", "", "application/json", "",
       OneEntry(R"({"0bad":"x"})", "[\"" + Now() + "\",\"x\"]"), 400},
      {"unparsable proto labels", "", "application/x-protobuf", "",
       ProtoPushBodyRawLabels("{app=", NowNs(), "x"), 400},
      {"proto invalid label name", "", "application/x-protobuf", "",
       ProtoPushBodyRawLabels("{0app=\"x\"}", NowNs(), "x"), 400},
      {"timestamp not a string", "", "application/json", "",
       OneEntry(R"({"a":"b"})", "[" + Now() + ",\"x\"]"), 400},
      {"timestamp garbage", "", "application/json", "",
       OneEntry(R"({"a":"b"})", R"(["yesterday","x"])"), 400},
      {"timestamp too old", "", "application/json", "",
       OneEntry(R"({"a":"b"})", "[\"" + std::to_string(NowNs() - 8 * 86400 * kSec) + "\",\"x\"]"),
       400},
      {"timestamp too new", "", "application/json", "",
       OneEntry(R"({"a":"b"})", "[\"" + std::to_string(NowNs() + 86400 * kSec) + "\",\"x\"]"), 400},
      {"line too long", "", "application/json", "",
       OneEntry(R"({"a":"b"})", "[\"" + Now() + "\",\"" + std::string(256001, 'x') + "\"]"), 400},
      {"too many labels", "", "application/json", "",
       OneEntry(
           R"({"l1":"v","l2":"v","l3":"v","l4":"v","l5":"v","l6":"v","l7":"v","l8":"v",)"
           R"("l9":"v","l10":"v","l11":"v","l12":"v","l13":"v","l14":"v","l15":"v","l16":"v"})",
           "[\"" + Now() + "\",\"x\"]"),
       400},
      {"no streams", "", "application/json", "", R"({"streams":[]})", 422},
      {"tenant with slash", "a/b", "application/json", "",
       OneEntry(R"({"a":"b"})", "[\"" + Now() + "\",\"x\"]"), 400},
      {"tenant dotdot", "..", "application/json", "",
       OneEntry(R"({"a":"b"})", "[\"" + Now() + "\",\"x\"]"), 400},
      {"tenant too long", std::string(151, 't'), "application/json", "",
       OneEntry(R"({"a":"b"})", "[\"" + Now() + "\",\"x\"]"), 400},
      {"body over the limit", "", "application/json", "", std::string(2 << 20, ' '), 413},
  };
  for (const auto& bad : corpus) {
    HttpResult r = Push(port(), bad.tenant, bad.content_type, bad.body, bad.encoding);
    EXPECT_EQ(r.status, bad.want) << bad.name << ": " << r.body << r.error;
    if (bad.want != 204) {
      EXPECT_FALSE(r.body.empty()) << bad.name;
    }
  }
  ExpectHealthy();
}

TEST_F(BadRequestsTest, PartlyBadBatchStoresTheGoodStreams) {
  int64_t now = NowNs();
  std::string body = R"({"streams":[{"stream":{"app":"good"},"values":[[")" + std::to_string(now) +
                     R"(","good line"]]},{"stream":{"app":"bad"},"values":[[")" +
                     std::to_string(now - 30 * 86400 * kSec) + R"(","too old"]]}]})";
  HttpResult r = Push(port(), "partial", "application/json", body);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("too old"), std::string::npos) << r.body;
  QueryArgs a;
  a.tenant = "partial";
  a.query = R"({app=~".+"})";
  a.start_ns = now - 60 * kSec;
  a.end_ns = now + 60 * kSec;
  QueryStreams q = QueryRange(port(), a);
  ASSERT_EQ(q.All().size(), 1u) << q.raw;
  EXPECT_EQ(q.All()[0].line, "good line");
}

TEST_F(BadRequestsTest, BadQueriesAre400) {
  std::vector<std::pair<std::string, std::string>> corpus = {
      {"bad logql", "/loki/api/v1/query_range?query=" + UrlEncode("{app=")},
      {"empty query", "/loki/api/v1/query_range?query="},
      {"negative limit", "/loki/api/v1/query_range?limit=-1&query=" + UrlEncode(R"({a="b"})")},
      {"limit too big", "/loki/api/v1/query_range?limit=5001&query=" + UrlEncode(R"({a="b"})")},
      {"bad direction", "/loki/api/v1/query_range?direction=up&query=" + UrlEncode(R"({a="b"})")},
      {"bad start", "/loki/api/v1/query_range?start=yesterday&query=" + UrlEncode(R"({a="b"})")},
      {"end before start",
       "/loki/api/v1/query_range?start=2000000000&end=1000000000&query=" + UrlEncode(R"({a="b"})")},
      {"bad step", "/loki/api/v1/query_range?step=-5&query=" + UrlEncode(R"({a="b"})")},
      {"range too long",
       "/loki/api/v1/query_range?start=1000000000&end=1900000000&query=" + UrlEncode(R"({a="b"})")},
      {"bad instant time", "/loki/api/v1/query?time=noon&query=" + UrlEncode(R"({a="b"})")},
      {"bad labels range", "/loki/api/v1/labels?start=soon"},
      {"bad labels selector", "/loki/api/v1/labels?query=" + UrlEncode("{a=")},
      {"series without match", "/loki/api/v1/series"},
  };
  for (const auto& [name, target] : corpus) {
    HttpResult r = HttpRequest(port(), "GET", target);
    EXPECT_EQ(r.status, 400) << name << ": " << r.body;
    EXPECT_EQ(r.Header("content-type"), "text/plain; charset=utf-8") << name;
  }
  EXPECT_EQ(HttpRequest(port(), "GET", "/no/such/path").status, 404);
  EXPECT_EQ(HttpRequest(port(), "GET", "/loki/api/v1/push").status, 405);
  ExpectHealthy();
}

TEST_F(BadRequestsTest, MalformedHttp) {
  {
    HttpConnection c(port());
    HttpResult r = c.Raw("THIS IS NOT HTTP\r\n\r\n");
    EXPECT_TRUE(r.status == 400 || r.status == 0) << r.status;
  }
  {
    // A declared body far over the limit is refused from the header alone.
    HttpConnection c(port());
    HttpResult r = c.Raw(
        "POST /loki/api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: "
        "application/json\r\nContent-Length: 999999999\r\n\r\n{");
    EXPECT_EQ(r.status, 413);
    EXPECT_NE(r.body.find("request body too large: 999999999 bytes, limit: 1048576 bytes"),
              std::string::npos)
        << r.body;
  }
  {
    // A client that disconnects mid-body does not disturb the server.
    HttpConnection c(port());
    EXPECT_TRUE(
        c.Send("POST /loki/api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc"));
  }
  ExpectHealthy();
}

}  // namespace
}  // namespace sluice::integration
