// Queries from Loki's own parser tests (pkg/logql/syntax/parser_test.go, extracted into
// testdata/loki_parser_cases.txt): every query Loki accepts must parse here, print, and
// re-parse to the same canonical text; every query Loki rejects must fail with Loki's message.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "logql/syntax/parser.h"
#include "logql/syntax/printer.h"

namespace sluice::logql::syntax {
namespace {

struct Case {
  bool ok;
  std::string error;  // expected message when !ok
  std::string query;
};

std::vector<Case> LoadCases() {
  std::ifstream in(std::string(SLUICE_SOURCE_DIR) +
                   "/tests/logql/syntax/testdata/loki_parser_cases.txt");
  std::vector<Case> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("=== ", 0) == 0) {
      Case c;
      c.ok = line.rfind("=== ok", 0) == 0;
      if (!c.ok)
        c.error = line.substr(std::string("=== err ").size());
      out.push_back(std::move(c));
      continue;
    }
    if (out.empty())
      continue;
    if (!out.back().query.empty())
      out.back().query += "\n";
    out.back().query += line;
  }
  return out;
}

TEST(LokiCasesTest, AcceptedQueriesParseAndRoundTrip) {
  std::vector<Case> cases = LoadCases();
  ASSERT_GT(cases.size(), 200u);
  int ok = 0;
  for (const Case& c : cases) {
    if (!c.ok)
      continue;
    ++ok;
    auto e = ParseExpr(c.query);
    ASSERT_TRUE(e.ok()) << c.query << "\n" << e.status().message();
    std::string printed = Print(**e);
    auto again = ParseExpr(printed);
    ASSERT_TRUE(again.ok()) << c.query << "\nprinted: " << printed << "\n"
                            << again.status().message();
    EXPECT_EQ(Print(**again), printed) << c.query;
  }
  EXPECT_GT(ok, 150);
}

TEST(LokiCasesTest, RejectedQueriesFailWithLokiMessage) {
  int checked = 0;
  for (const Case& c : LoadCases()) {
    if (c.ok)
      continue;
    ++checked;
    auto e = ParseExpr(c.query);
    ASSERT_FALSE(e.ok()) << c.query;
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
    if (c.error.find("error parsing regexp") != std::string::npos) {
      // RE2 and Go's regexp word some errors differently; the prefix is Loki's.
      EXPECT_NE(e.status().message().find("error parsing regexp"), std::string::npos)
          << c.query << "\n"
          << e.status().message();
      continue;
    }
    EXPECT_EQ(e.status().message(), c.error) << c.query;
  }
  EXPECT_GT(checked, 40);
}

}  // namespace
}  // namespace sluice::logql::syntax
