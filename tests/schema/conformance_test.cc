// Runs the official JSON-Schema-Test-Suite (../shared/json-schema-test-suite): every required
// test of draft2020-12 and draft7 must pass, remotes/ served from memory; the optional format
// tests for date-time, date, time, uuid, ipv4 and ipv6 must pass with format assertion on.
// Prints a pass/fail table per keyword file.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "schema/schema.h"

namespace sluice::schema {
namespace {

namespace fs = std::filesystem;

const fs::path kSuite = fs::path(SLUICE_SHARED_DIR) / "json-schema-test-suite";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every file under remotes/, keyed by the URI the suite serves it at.
const std::map<std::string, std::string>& Remotes() {
  static const std::map<std::string, std::string> remotes = [] {
    std::map<std::string, std::string> m;
    for (const auto& entry : fs::recursive_directory_iterator(kSuite / "remotes")) {
      if (!entry.is_regular_file())
        continue;
      std::string rel = fs::relative(entry.path(), kSuite / "remotes").generic_string();
      m["http://localhost:1234/" + rel] = ReadFile(entry.path());
    }
    return m;
  }();
  return remotes;
}

Result<std::string> ResolveRemote(std::string_view uri) {
  auto it = Remotes().find(std::string(uri));
  if (it == Remotes().end())
    return NotFoundError("no remote " + std::string(uri));
  return it->second;
}

struct FileResult {
  int passed = 0;
  int failed = 0;
  std::vector<std::string> failures;
};

FileResult RunFile(const fs::path& file, Draft draft, FormatMode format) {
  FileResult result;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string text = ReadFile(file);
  if (parser.parse(text).get(doc)) {
    result.failed = 1;
    result.failures.push_back("test file does not parse");
    return result;
  }
  for (simdjson::dom::element group : simdjson::dom::array(doc)) {
    std::string_view group_desc = group["description"].get_string().value_unsafe();
    CompileOptions options;
    options.resolver = ResolveRemote;
    options.default_draft = draft;
    options.format = format;
    Result<std::shared_ptr<const Schema>> schema =
        Schema::Compile(simdjson::minify(group["schema"].value_unsafe()), options);
    for (simdjson::dom::element test : simdjson::dom::array(group["tests"].value_unsafe())) {
      bool expected = test["valid"].get_bool().value_unsafe();
      std::string name = std::string(group_desc) + " / " +
                         std::string(test["description"].get_string().value_unsafe());
      if (!schema.ok()) {
        ++result.failed;
        result.failures.push_back(name + ": " + schema.status().message());
        continue;
      }
      simdjson::dom::element data = test["data"].value_unsafe();
      std::vector<ValidationError> errors;
      bool valid = (*schema)->Validate(data, ErrorMode::kAll, &errors);
      bool fast = (*schema)->IsValid(data);
      if (valid == expected && fast == expected && valid == errors.empty()) {
        ++result.passed;
      } else {
        ++result.failed;
        result.failures.push_back(name + (valid != fast ? " (fast path disagrees)" : ""));
      }
    }
  }
  return result;
}

std::vector<fs::path> JsonFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Runs each file, prints the table, returns the number of failing tests.
int RunAndPrint(const std::string& title, const std::vector<fs::path>& files, Draft draft,
                FormatMode format, bool show_failures) {
  int total_failed = 0, total_passed = 0;
  std::printf("\n%-40s %7s %7s\n", title.c_str(), "passed", "failed");
  for (const fs::path& f : files) {
    FileResult r = RunFile(f, draft, format);
    std::printf("%-40s %7d %7d\n", f.filename().string().c_str(), r.passed, r.failed);
    if (show_failures) {
      for (const std::string& failure : r.failures)
        std::printf("    FAIL %s\n", failure.c_str());
    }
    total_failed += r.failed;
    total_passed += r.passed;
  }
  std::printf("%-40s %7d %7d\n", "total", total_passed, total_failed);
  return total_failed;
}

TEST(ConformanceTest, Draft202012Required) {
  EXPECT_EQ(RunAndPrint("draft2020-12", JsonFiles(kSuite / "tests/draft2020-12"), Draft::k202012,
                        FormatMode::kAnnotate, true),
            0);
}

TEST(ConformanceTest, Draft7Required) {
  EXPECT_EQ(RunAndPrint("draft7", JsonFiles(kSuite / "tests/draft7"), Draft::k07,
                        FormatMode::kAnnotate, true),
            0);
}

std::vector<fs::path> RequiredFormats(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const char* name : {"date-time", "date", "time", "uuid", "ipv4", "ipv6"}) {
    if (fs::exists(dir / (std::string(name) + ".json"))) {
      files.push_back(dir / (std::string(name) + ".json"));
    }
  }
  return files;
}

TEST(ConformanceTest, Draft202012RequiredFormatsAsserted) {
  EXPECT_EQ(RunAndPrint("draft2020-12 formats (asserted)",
                        RequiredFormats(kSuite / "tests/draft2020-12/optional/format"),
                        Draft::k202012, FormatMode::kAssert, true),
            0);
}

TEST(ConformanceTest, Draft7RequiredFormatsAsserted) {
  EXPECT_EQ(RunAndPrint("draft7 formats (asserted)",
                        RequiredFormats(kSuite / "tests/draft7/optional/format"), Draft::k07,
                        FormatMode::kAssert, true),
            0);
}

// Informational: the other optional tests are reported, not required.
TEST(ConformanceTest, OptionalReport) {
  RunAndPrint("draft2020-12 optional (informational)",
              JsonFiles(kSuite / "tests/draft2020-12/optional"), Draft::k202012,
              FormatMode::kAnnotate, false);
  RunAndPrint("draft2020-12 optional/format (informational)",
              JsonFiles(kSuite / "tests/draft2020-12/optional/format"), Draft::k202012,
              FormatMode::kAssert, false);
}

}  // namespace
}  // namespace sluice::schema
