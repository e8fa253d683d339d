// Tests of the decoding layers: label strings, Content-Type / Content-Encoding, JSON and
// protobuf decoders, DecodePushBody, Go formatting, tenant IDs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/tenant.h"
#include "ingest/body_encoding.h"
#include "ingest/go_format.h"
#include "ingest/label_string.h"
#include "ingest/push_decoder.h"
#include "test_bodies.h"
#include "testing/status_matchers.h"

namespace sluice::ingest {
namespace {

using sluice::testing::IsOk;
using sluice::testing::StatusIs;

std::vector<Label> ParseOk(std::string_view s) {
  std::vector<Label> out;
  Status st = ParseRawLabelString(s, &out);
  EXPECT_TRUE(st.ok()) << s << ": " << st.ToString();
  return out;
}

TEST(LabelStringTest, AcceptedForms) {
  EXPECT_EQ(ParseOk(R"({a="b", c="d"})"), (std::vector<Label>{{"a", "b"}, {"c", "d"}}));
  EXPECT_EQ(ParseOk(R"( { a = "b",c="d", } )"), (std::vector<Label>{{"a", "b"}, {"c", "d"}}));
  EXPECT_EQ(ParseOk("{}"), std::vector<Label>{});
  EXPECT_EQ(ParseOk(R"({a="x\"y\\z\n\t\x41\u00e9\101"})"),
            (std::vector<Label>{{"a",
                                 "x\"y\\z\n\tA\xc3\xa9"
                                 "A"}}));
  EXPECT_EQ(ParseOk("{a='it\\'s', b=`raw\\n`}"),
            (std::vector<Label>{{"a", "it's"}, {"b", "raw\\n"}}));
  EXPECT_EQ(ParseOk(R"(up{a="1"})"), (std::vector<Label>{{"__name__", "up"}, {"a", "1"}}));
  EXPECT_EQ(ParseOk(R"({a="", a="2"})"), (std::vector<Label>{{"a", ""}, {"a", "2"}}));
}

TEST(LabelStringTest, Rejected) {
  for (std::string_view bad :
       {"", "{", "{a}", "{a=b}", R"({a="b")", R"({a="b" c="d"})", R"({1a="b"})", R"({a-b="c"})",
        R"({a="\q"})", R"({a="b"}x)", R"({a="\u12"})", R"({"a"="b"})", "{a=\"b\nc\"}"}) {
    std::vector<Label> out;
    EXPECT_THAT(ParseRawLabelString(bad, &out),
                StatusIs(StatusCode::kInvalidArgument, "parse error"))
        << bad;
  }
}

TEST(BodyEncodingTest, ContentTypes) {
  EXPECT_EQ(*ParseContentType("application/json"), BodyFormat::kJson);
  EXPECT_EQ(*ParseContentType(" application/JSON ; charset=\"utf-8\";"), BodyFormat::kJson);
  EXPECT_EQ(*ParseContentType("application/x-protobuf"), BodyFormat::kProtobuf);
  EXPECT_EQ(*ParseContentType("text/plain"), BodyFormat::kProtobuf);
  EXPECT_EQ(*ParseContentType("application"), BodyFormat::kProtobuf);
  EXPECT_THAT(ParseContentType(""), StatusIs(StatusCode::kInvalidArgument, "mime: no media type"));
  EXPECT_THAT(ParseContentType("a b"),
              StatusIs(StatusCode::kInvalidArgument, "mime: expected slash after first token"));
  EXPECT_THAT(ParseContentType("a/"),
              StatusIs(StatusCode::kInvalidArgument, "mime: expected token after slash"));
  EXPECT_THAT(ParseContentType("application/json; charset"),
              StatusIs(StatusCode::kInvalidArgument, "mime: invalid media parameter"));
}

TEST(BodyEncodingTest, GzipMultiMemberAndDeflate) {
  std::string scratch;
  std::string_view out;
  std::string two = testing::Gzip("hello ") + testing::Gzip("world");
  ASSERT_THAT(UndoContentEncoding("gzip", two, 1000, &scratch, &out), IsOk());
  EXPECT_EQ(out, "hello world");
  ASSERT_THAT(UndoContentEncoding("deflate", testing::RawDeflate("abc"), 1000, &scratch, &out),
              IsOk());
  EXPECT_EQ(out, "abc");
  // zlib-wrapped data is not raw deflate.
  EXPECT_THAT(UndoContentEncoding("deflate", testing::Deflate("abc", 15), 1000, &scratch, &out),
              StatusIs(StatusCode::kInvalidArgument, "flate: corrupt input"));
  EXPECT_THAT(
      UndoContentEncoding("gzip", testing::Gzip(std::string(5000, 'a')), 4096, &scratch, &out),
      StatusIs(StatusCode::kTooLarge, "limit: 4096 bytes"));
  ASSERT_THAT(UndoContentEncoding("snappy", "raw", 10, &scratch, &out), IsOk());
  EXPECT_EQ(out, "raw");
  EXPECT_THAT(UndoContentEncoding("zstd", "raw", 10, &scratch, &out),
              StatusIs(StatusCode::kInvalidArgument, "Content-Encoding \"zstd\" not supported"));
}

TEST(DecodePushBodyTest, JsonAndProtobufGiveTheSameStreams) {
  std::string json =
      R"({"streams":[{"stream":{"b":"2","a":"1"},"values":[["5","x"],["6","y",{"k":"v"}]]},)"
      R"({"values":[["7","z"]],"stream":{"a":"1","b":"2"},"unknown":[1,2]}],"other":{}})";
  auto from_json = DecodePushBody("application/json", "", json, 1 << 20);
  ASSERT_THAT(from_json, IsOk());
  auto req = testing::MakeRequest({{R"({b="2", a="1"})", {{5, "x"}, {6, "y", {{"k", "v"}}}}},
                                   {R"({a="1",b="2"})", {{7, "z"}}}});
  auto from_proto =
      DecodePushBody("application/x-protobuf", "", testing::SnappyProto(req), 1 << 20);
  ASSERT_THAT(from_proto, IsOk());
  ASSERT_EQ(from_json->size(), 1u);
  EXPECT_EQ(from_json->at(0).labels, Labels::FromPairs({{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(from_json->at(0).entries,
            (std::vector<OwnedEntry>{{5, "x", {}}, {6, "y", {{"k", "v"}}}, {7, "z", {}}}));
  ASSERT_EQ(from_proto->size(), 1u);
  EXPECT_EQ(from_proto->at(0).labels, from_json->at(0).labels);
  EXPECT_EQ(from_proto->at(0).entries, from_json->at(0).entries);
}

TEST(DecodePushBodyTest, JsonEscapesAndLabelValueTypes) {
  auto r = DecodePushBody("application/json", "",
                          R"({"streams":[{"stream":{"n":12,"t":true,"s":"\u00e9"},)"
                          R"("values":[["1","a\"b\nc"]]}]})",
                          1 << 20);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->at(0).labels, Labels::FromPairs({{"n", "12"}, {"s", "\xc3\xa9"}, {"t", "true"}}));
  EXPECT_EQ(r->at(0).entries[0].line, "a\"b\nc");
}

TEST(DecodePushBodyTest, ProtobufErrors) {
  EXPECT_THAT(DecodePushBody("application/x-protobuf", "", "", 1 << 20),
              StatusIs(StatusCode::kInvalidArgument, "snappy: corrupt input"));
  std::string garbage = "\xff\xff\xff\xff\x0f";
  std::string compressed;
  snappy::Compress(garbage.data(), garbage.size(), &compressed);
  EXPECT_THAT(DecodePushBody("application/x-protobuf", "", compressed, 1 << 20),
              StatusIs(StatusCode::kInvalidArgument, "proto:"));
}

TEST(DecodePushBodyTest, ProtobufTimestampsSaturate) {
  logproto::PushRequest req;
  auto* s = req.add_streams();
  s->set_labels(R"({a="b"})");
  s->add_entries()->mutable_timestamp()->set_seconds(INT64_MAX);
  s->add_entries();  // no timestamp at all: the epoch
  auto r = DecodePushBody("application/x-protobuf", "", testing::SnappyProto(req), 1 << 20);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->at(0).entries[0].timestamp_ns, INT64_MAX);
  EXPECT_EQ(r->at(0).entries[1].timestamp_ns, 0);
}

TEST(GoFormatTest, ParseIntAndTimes) {
  EXPECT_EQ(*GoParseInt64("-12"), -12);
  EXPECT_EQ(*GoParseInt64("+9223372036854775807"), INT64_MAX);
  EXPECT_EQ(*GoParseInt64("-9223372036854775808"), INT64_MIN);
  EXPECT_THAT(GoParseInt64("9223372036854775808"),
              StatusIs(StatusCode::kInvalidArgument, "value out of range"));
  EXPECT_THAT(GoParseInt64(" 1"), StatusIs(StatusCode::kInvalidArgument, "invalid syntax"));
  EXPECT_THAT(GoParseInt64(""), StatusIs(StatusCode::kInvalidArgument, "invalid syntax"));
  EXPECT_EQ(FormatGoRFC3339(1717000000'500000000), "2024-05-29T16:26:40Z");
  EXPECT_EQ(FormatGoRFC3339(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatGoTimeString(1717000000'500000000), "2024-05-29 16:26:40.5 +0000 UTC");
  EXPECT_EQ(FormatGoTimeString(0), "1970-01-01 00:00:00 +0000 UTC");
}

TEST(TenantTest, LokiRules) {
  EXPECT_THAT(ValidateTenantId("fake"), IsOk());
  EXPECT_THAT(ValidateTenantId("a-Z_0.9!*'()"), IsOk());
  EXPECT_THAT(ValidateTenantId(std::string(150, 'a')), IsOk());
  EXPECT_THAT(ValidateTenantId(std::string(151, 'a')),
              StatusIs(StatusCode::kInvalidArgument, "tenant ID is too long: max 150 characters"));
  EXPECT_THAT(ValidateTenantId("."), StatusIs(StatusCode::kInvalidArgument, "'.' or '..'"));
  EXPECT_THAT(
      ValidateTenantId("a|b"),
      StatusIs(StatusCode::kInvalidArgument, "tenant ID 'a|b' contains unsupported character '|'"));
  EXPECT_THAT(ValidateTenantId("\xc3\xa9"),
              StatusIs(StatusCode::kInvalidArgument, "unsupported character '\xc3\x83'"));
  EXPECT_THAT(ValidateTenantId(""), StatusIs(StatusCode::kUnauthenticated, "no org id"));
}

}  // namespace
}  // namespace sluice::ingest
