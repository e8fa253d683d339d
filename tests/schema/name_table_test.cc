// NameTable must find exactly the names it was built from, whatever their length (the short
// keys compare by their head and tail words alone), and keep the first of duplicates.
#include "schema/name_table.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sluice::schema {
namespace {

TEST(NameTableTest, FindsEveryNameAndNothingElse) {
  std::vector<std::string> names;
  for (size_t len = 0; len <= 40; ++len) {
    names.push_back(std::string(len, 'k'));
    if (len > 0)
      names.push_back(std::string(len - 1, 'k') + "j");  // differs in the last byte only
    if (len > 2)
      names.push_back("j" + std::string(len - 1, 'k'));  // differs in the first byte only
    if (len > 17)
      names.push_back(std::string(len / 2, 'k') + "j" + std::string(len - len / 2 - 1, 'k'));
  }
  NameTable table(std::vector<std::string_view>(names.begin(), names.end()));
  for (size_t i = 0; i < names.size(); ++i)
    EXPECT_EQ(table.Find(names[i]), int(i)) << names[i];
  for (std::string_view absent : {"x", "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk", "kjk",
                                  "kkkkkkkkkkkkkkkkkkkkjjkkkkkkkkkkkkkkkkkk"}) {
    EXPECT_EQ(table.Find(absent), -1) << absent;
  }
}

TEST(NameTableTest, EmptyTableAndDuplicates) {
  NameTable empty;
  EXPECT_EQ(empty.Find(""), -1);
  EXPECT_EQ(empty.Find("a"), -1);
  NameTable table(std::vector<std::string_view>{"span_id", "trace_id", "span_id", ""});
  EXPECT_EQ(table.Find("span_id"), 0);
  EXPECT_EQ(table.Find("trace_id"), 1);
  EXPECT_EQ(table.Find(""), 3);
  EXPECT_EQ(table.Find("span_i"), -1);
  EXPECT_EQ(table.Find(std::string_view("span_id\0", 8)), -1);
}

}  // namespace
}  // namespace sluice::schema
