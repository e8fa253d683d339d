#include "server/json_writer.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace sluice::server {
namespace {

TEST(JsonWriterTest, BuildsNestedDocumentsWithCommas) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("a");
  w.BeginArray();
  w.Int(1);
  w.Int(-2);
  w.BeginObject();
  w.EndObject();
  w.EndArray();
  w.Key("b");
  w.String("x");
  w.Key("c");
  w.Bool(true);
  w.Key("d");
  w.Null();
  w.Key("e");
  w.Raw("{\"z\":1}");
  w.EndObject();
  EXPECT_EQ(out, R"({"a":[1,-2,{}],"b":"x","c":true,"d":null,"e":{"z":1}})");
}

TEST(JsonWriterTest, TimestampsAsLokiFormatsThem) {
  std::string out;
  JsonWriter w(&out);
  w.BeginArray();
  w.NanosString(1717000000123456789);
  w.SecondsNumber(1717000000000000000);
  w.SecondsNumber(1717000000500000000);
  w.SecondsNumber(1717000000123999999);  // truncated to ms
  w.SecondsNumber(4000000000LL * 1000000000);
  w.EndArray();
  EXPECT_EQ(out, R"(["1717000000123456789",1717000000,1717000000.5,1717000000.123,4000000000])");
}

TEST(JsonWriterTest, SampleValuesAsStrings) {
  EXPECT_EQ(FormatSampleValue(2), "2");
  EXPECT_EQ(FormatSampleValue(0.35), "0.35");
  EXPECT_EQ(FormatSampleValue(-1.5), "-1.5");
  EXPECT_EQ(FormatSampleValue(1e21), "1000000000000000000000");
  EXPECT_EQ(FormatSampleValue(std::nan("")), "NaN");
  EXPECT_EQ(FormatSampleValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatSampleValue(-std::numeric_limits<double>::infinity()), "-Inf");
  std::string out;
  JsonWriter w(&out);
  w.SampleValue(0.1);
  EXPECT_EQ(out, "\"0.1\"");
}

TEST(JsonWriterTest, NonFiniteDoubleIsNull) {
  std::string out;
  JsonWriter w(&out);
  w.BeginArray();
  w.Double(std::nan(""));
  w.Double(0.0012);
  w.EndArray();
  EXPECT_EQ(out, "[null,0.0012]");
}

}  // namespace
}  // namespace sluice::server
