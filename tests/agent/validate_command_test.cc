// `sluice-agent validate` end to end, in process: RunValidateCommand with stdin / stdout /
// stderr redirected to files, over real files (plain, gzip, CRLF, blank lines, a huge line,
// invalid UTF-8), every output format and every exit code.
#include "agent/validate_command.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>
#include <zlib.h>

namespace sluice::agent {
namespace {

namespace fs = std::filesystem;

const std::string kSchemaPath = std::string(SLUICE_SHARED_DIR) + "/schemas/service-log.schema.json";

std::string ValidLine(int i) {
  char buf[400];
  std::snprintf(buf, sizeof buf,
                "{\"timestamp\":\"2026-01-01T00:00:%02d.000Z\",\"level\":\"info\",\"service_name\":"
                "\"api-gateway\",\"trace_id\":\"0741c7a87ce42c8218072e8c35bf992d\",\"span_id\":"
                "\"d5f4b3b2e4b06ce6\",\"msg\":\"ok\",\"http\":{\"status\":200}}",
                i % 60);
  return buf;
}

const std::string kBadSpan =
    "{\"timestamp\":\"2026-01-01T00:00:00Z\",\"service_name\":\"api\",\"trace_id\":"
    "\"0741c7a87ce42c82\",\"span_id\":\"not-a-span\"}";

struct RunResult {
  int code;
  std::string out, err;
};

class ValidateCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("validate_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }

  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  // Runs the command with `stdin_path` (optional) as standard input.
  RunResult Run(std::vector<std::string> args, const std::string& stdin_path = "") {
    args.insert(args.begin(), "validate");
    std::vector<char*> argv;
    for (std::string& a : args)
      argv.push_back(a.data());
    std::string out_path = (dir_ / "stdout").string(), err_path = (dir_ / "stderr").string();
    std::fflush(stdout);
    std::fflush(stderr);
    int saved_out = ::dup(1), saved_err = ::dup(2), saved_in = ::dup(0);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out, 1);
    ::dup2(err, 2);
    if (!stdin_path.empty()) {
      int in = ::open(stdin_path.c_str(), O_RDONLY);
      ::dup2(in, 0);
      ::close(in);
    }
    int code = RunValidateCommand(int(argv.size()), argv.data());
    std::fflush(stdout);
    std::fflush(stderr);
    ::dup2(saved_out, 1);
    ::dup2(saved_err, 2);
    ::dup2(saved_in, 0);
    ::close(saved_out);
    ::close(saved_err);
    ::close(saved_in);
    ::close(out);
    ::close(err);
    return {code, Slurp(out_path), Slurp(err_path)};
  }

  fs::path dir_;
};

TEST_F(ValidateCommandTest, AllValidExitsZero) {
  std::string f = Write("ok.jsonl", ValidLine(1) + "\n" + ValidLine(2) + "\n");
  RunResult r = Run({"--schema", kSchemaPath, f});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "2 passed, 0 failed\n");
}

TEST_F(ValidateCommandTest, InvalidLineIsReportedWithPositionAndExitsOne) {
  std::string f = Write("bad.jsonl", ValidLine(1) + "\n" + kBadSpan + "\n");
  RunResult r = Run({"--schema", kSchemaPath, f});
  EXPECT_EQ(r.code, 1);
  size_t col = kBadSpan.find("\"not-a-span\"") + 1;
  EXPECT_EQ(r.out, f + ":2:" + std::to_string(col) +
                       ": pattern at /span_id (schema /properties/span_id/pattern): `span_id`: "
                       "\"not-a-span\" does not match ^[0-9a-fA-F]{16}$\n1 passed, 1 failed\n");
}

TEST_F(ValidateCommandTest, EveryErrorOfALineIsReported) {
  std::string f = Write("two.jsonl", "{\"span_id\":\"x\",\"level\":\"loud\"}\n");
  RunResult r = Run({"--schema", kSchemaPath, f});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("missing required property \"trace_id\""), std::string::npos);
  EXPECT_NE(r.out.find("enum at /level"), std::string::npos);
  EXPECT_NE(r.out.find("pattern at /span_id"), std::string::npos);
}

TEST_F(ValidateCommandTest, JsonOutputIsOneObjectPerError) {
  std::string f = Write("bad.jsonl", kBadSpan + "\n");
  RunResult r = Run({"--schema", kSchemaPath, "--output", "json", f});
  EXPECT_EQ(r.code, 1);
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  ASSERT_FALSE(parser.parse(r.out).get(e)) << r.out;
  EXPECT_EQ(std::string_view(e["keyword"]), "pattern");
  EXPECT_EQ(std::string_view(e["instance_location"]), "/span_id");
  EXPECT_EQ(std::string_view(e["schema_location"]), "/properties/span_id/pattern");
  EXPECT_EQ(int64_t(e["line"]), 1);
  EXPECT_EQ(r.err, "0 passed, 1 failed\n");
}

TEST_F(ValidateCommandTest, GithubOutputIsWorkflowAnnotations) {
  std::string f = Write("bad.jsonl", ValidLine(0) + "\n" + kBadSpan + "\n");
  RunResult r = Run({"--schema", kSchemaPath, "--output=github", f});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out.rfind("::error file=" + f + ",line=2,col=", 0), 0u) << r.out;
  EXPECT_NE(r.out.find(",title=pattern::`span_id`"), std::string::npos);
  EXPECT_NE(r.out.find("\n1 passed, 1 failed\n"), std::string::npos);
}

TEST_F(ValidateCommandTest, JunitOutputIsXml) {
  std::string f = Write("bad.jsonl", ValidLine(0) + "\n" + kBadSpan + "\n");
  RunResult r = Run({"--schema", kSchemaPath, "--output", "junit", f});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", 0), 0u);
  EXPECT_NE(r.out.find("failures=\"1\""), std::string::npos);
  EXPECT_NE(r.out.find("<testcase classname=\"" + f + "\" name=\"line 2\">"), std::string::npos);
  EXPECT_NE(r.out.find("<failure type=\"pattern\""), std::string::npos);
  EXPECT_NE(r.out.find("&quot;not-a-span&quot;"), std::string::npos);
  EXPECT_NE(r.out.find("</testsuites>"), std::string::npos);
}

TEST_F(ValidateCommandTest, ReadsStdin) {
  std::string f = Write("in.jsonl", ValidLine(0) + "\n" + kBadSpan + "\n" + ValidLine(1) + "\n");
  RunResult r = Run({"--schema", kSchemaPath, "-"}, f);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("<stdin>:2:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 passed, 1 failed"), std::string::npos);
}

TEST_F(ValidateCommandTest, ReadsGzip) {
  std::string path = (dir_ / "logs.jsonl.gz").string();
  gzFile gz = gzopen(path.c_str(), "wb");
  std::string content;
  for (int i = 0; i < 1000; ++i)
    content += (i == 500 ? kBadSpan : ValidLine(i)) + "\n";
  gzwrite(gz, content.data(), unsigned(content.size()));
  gzclose(gz);
  RunResult r = Run({"--schema", kSchemaPath, path});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find(path + ":501:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("999 passed, 1 failed"), std::string::npos);
  // And gzip on stdin.
  r = Run({"--schema", kSchemaPath, "-"}, path);
  EXPECT_NE(r.out.find("999 passed, 1 failed"), std::string::npos) << r.err;
}

TEST_F(ValidateCommandTest, CorruptGzipIsUnreadableInput) {
  std::string f = Write("bad.gz", std::string("\x1f\x8b\x08\x00garbage-not-deflate", 24));
  RunResult r = Run({"--schema", kSchemaPath, f});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("gzip"), std::string::npos) << r.err;
}

TEST_F(ValidateCommandTest, CrlfMissingFinalNewlineAndBlankLines) {
  std::string f = Write("mixed.jsonl", ValidLine(0) + "\r\n\r\n   \n" + ValidLine(1) + "\r\n\n" +
                                           kBadSpan);  // no final newline
  RunResult r = Run({"--schema", kSchemaPath, f});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find(f + ":6:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 passed, 1 failed"), std::string::npos);
}

TEST_F(ValidateCommandTest, HugeLine) {
  std::string big = ValidLine(0);
  big.replace(big.find("\"ok\""), 4, "\"" + std::string(3 << 20, 'x') + "\"");
  std::string f = Write("huge.jsonl", ValidLine(1) + "\n" + big + "\n" + kBadSpan + "\n");
  RunResult r = Run({"--schema", kSchemaPath, f});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find(f + ":3:"), std::string::npos);
  EXPECT_NE(r.out.find("2 passed, 1 failed"), std::string::npos);
}

TEST_F(ValidateCommandTest, NotJsonAndInvalidUtf8AreInvalidLines) {
  std::string bad_utf8 = ValidLine(0);
  bad_utf8.replace(bad_utf8.find("\"ok\""), 4, "\"\xff\xfe\"");
  std::string f = Write("junk.jsonl", "{not json\n" + bad_utf8 + "\n");
  RunResult r = Run({"--schema", kSchemaPath, f});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find(f + ":1:1: json: not valid JSON:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(f + ":2:1: json: not valid JSON: "), std::string::npos);
  EXPECT_NE(r.out.find("UTF-8"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0 passed, 2 failed"), std::string::npos);
}

TEST_F(ValidateCommandTest, FormatModes) {
  std::string line = ValidLine(0);
  line.replace(line.find("2026-01-01T00:00:00.000Z"), 24, "yesterday at noon");
  std::string f = Write("fmt.jsonl", line + "\n");
  EXPECT_EQ(Run({"--schema", kSchemaPath, f}).code, 0);
  EXPECT_EQ(Run({"--schema", kSchemaPath, "--no-format", f}).code, 0);
  RunResult r = Run({"--schema", kSchemaPath, "--strict-format", f});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("format at /timestamp (schema /properties/timestamp/format)"),
            std::string::npos)
      << r.out;
}

TEST_F(ValidateCommandTest, MaxErrorsCapsTheReportNotTheCount) {
  std::string f = Write("bad.jsonl", kBadSpan + "\n" + kBadSpan + "\n" + kBadSpan + "\n");
  RunResult r = Run({"--schema", kSchemaPath, "--max-errors", "1", f});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out.find(":2:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(":1:"), std::string::npos);
  EXPECT_NE(r.out.find("0 passed, 3 failed"), std::string::npos);
}

TEST_F(ValidateCommandTest, ManyThreadsKeepInputOrder) {
  // Unknown-size input (a pipe) takes the multi-threaded path: waves of 1 MiB batches.
  std::string content;
  int lines = 0;
  while (content.size() < (5u << 20)) {
    ++lines;
    content += (lines % 997 == 0 ? kBadSpan : ValidLine(lines)) + "\n";
  }
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::thread writer([&] {
    size_t off = 0;
    while (off < content.size()) {
      ssize_t n = ::write(fds[1], content.data() + off, content.size() - off);
      if (n <= 0)
        break;
      off += size_t(n);
    }
    ::close(fds[1]);
  });
  std::string fifo_path = "/dev/fd/" + std::to_string(fds[0]);
  RunResult r = Run({"--schema", kSchemaPath, "--threads", "3", fifo_path});
  writer.join();
  ::close(fds[0]);
  EXPECT_EQ(r.code, 1) << r.err;
  uint64_t last = 0, reported = 0;
  std::istringstream out(r.out);
  std::string row;
  while (std::getline(out, row)) {
    size_t a = row.find(fifo_path + ":");
    if (a != 0)
      continue;
    uint64_t line = std::stoull(row.substr(fifo_path.size() + 1));
    EXPECT_GT(line, last);
    EXPECT_EQ(line % 997, 0u);
    last = line;
    ++reported;
  }
  EXPECT_EQ(reported, uint64_t(lines / 997));
  EXPECT_NE(r.out.find(std::to_string(lines - lines / 997) + " passed, " +
                       std::to_string(lines / 997) + " failed"),
            std::string::npos);
}

TEST_F(ValidateCommandTest, SchemaErrorsExitThree) {
  std::string not_json = Write("s1.json", "{\"type\": ");
  std::string f = Write("ok.jsonl", ValidLine(0) + "\n");
  RunResult r = Run({"--schema", not_json, f});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("not valid JSON"), std::string::npos) << r.err;
  std::string bad_schema = Write("s2.json", "{\"properties\": {\"a\": {\"minLength\": -1}}}");
  r = Run({"--schema", bad_schema, f});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("at /properties/a/minLength"), std::string::npos) << r.err;
  std::string bad_pattern = Write("s3.json", "{\"pattern\": \"(?=lookahead)\"}");
  r = Run({"--schema", bad_pattern, f});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("pattern (?=lookahead) is not supported"), std::string::npos) << r.err;
}

TEST_F(ValidateCommandTest, UsageAndUnreadableInputExitTwo) {
  std::string f = Write("ok.jsonl", ValidLine(0) + "\n");
  EXPECT_EQ(Run({f}).code, 2);                        // no --schema
  EXPECT_EQ(Run({"--schema", kSchemaPath}).code, 2);  // no FILE
  EXPECT_EQ(Run({"--schema", kSchemaPath, "--output", "xml", f}).code, 2);
  EXPECT_EQ(Run({"--schema", kSchemaPath, "--max-errors", "x", f}).code, 2);
  EXPECT_EQ(Run({"--schema", kSchemaPath, "--bogus", f}).code, 2);
  EXPECT_EQ(Run({"--schema", (dir_ / "missing.json").string(), f}).code, 2);
  RunResult r = Run({"--schema", kSchemaPath, f, (dir_ / "missing.jsonl").string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("missing.jsonl"), std::string::npos);
  EXPECT_NE(r.out.find("1 passed, 0 failed"), std::string::npos);
}

TEST_F(ValidateCommandTest, RelativeRefsResolveBesideTheSchema) {
  Write("defs.json", "{\"$defs\": {\"id\": {\"type\": \"string\", \"minLength\": 3}}}");
  std::string s =
      Write("main.json", "{\"properties\": {\"id\": {\"$ref\": \"defs.json#/$defs/id\"}}}");
  std::string f = Write("in.jsonl", "{\"id\": \"abc\"}\n{\"id\": \"a\"}\n");
  RunResult r = Run({"--schema", s, f});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.out.find("minLength at /id"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 passed, 1 failed"), std::string::npos);
}

}  // namespace
}  // namespace sluice::agent
