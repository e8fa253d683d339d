// Output side of `sluice-agent validate`: formats findings (one per failing keyword, or one
// per line that is not JSON) as text, JSON lines, GitHub workflow annotations or a JUnit XML
// report, and the closing "N passed, N failed" line. Findings arrive in input order.
// Not thread-safe: one writer, fed by the command's ordering stage.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace sluice::agent {

enum class ReportFormat { kText, kJson, kGithub, kJunit };

struct Finding {
  uint64_t line = 0;
  uint64_t column = 1;  // 1-based byte column of the offending value
  std::string keyword;  // "pattern", ... or "json" for a line that is not JSON
  std::string instance_location;
  std::string schema_location;
  std::string message;
};

class ReportWriter {
 public:
  // Writes findings to `out`; the closing line goes to `out` for text and github, to `summary`
  // for json and junit (their stdout stays machine-readable).
  ReportWriter(ReportFormat format, FILE* out, FILE* summary);

  // Starts the findings of one input file.
  void BeginFile(const std::string& name);
  // Findings of one invalid line (all for the same line).
  void AddLine(const std::vector<Finding>& findings);
  // Ends the current file: `passed` / `failed` line counts in it.
  void EndFile(uint64_t passed, uint64_t failed);
  // Writes the closing line (and the JUnit document).
  void Finish();

  uint64_t passed() const { return passed_; }

  uint64_t failed() const { return failed_; }

  // "file:line:col: keyword at /ptr (schema /ptr): message", the text form of one finding.
  static std::string TextLine(const std::string& file, const Finding& f);

 private:
  struct JunitCase {
    std::string name, type, message, body;
  };

  struct JunitSuite {
    std::string name;
    uint64_t passed = 0, failed = 0;
    std::vector<JunitCase> cases;
  };

  ReportFormat format_;
  FILE* out_;
  FILE* summary_;
  std::string file_;
  uint64_t passed_ = 0, failed_ = 0;
  std::vector<JunitSuite> suites_;
};

}  // namespace sluice::agent
