#include "agent/validate_command.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "agent/validate_input.h"
#include "agent/validate_locate.h"
#include "agent/validate_report.h"
#include "schema/schema.h"

namespace sluice::agent {

namespace {

constexpr char kUsage[] =
    "usage: sluice-agent validate --schema S.json [--strict-format|--no-format]\n"
    "                             [--output text|json|github|junit] [--max-errors N]\n"
    "                             [--threads N] FILE...\n"
    "  FILE is a file of JSON lines, '-' for stdin; gzip input is detected.\n"
    "  exit: 0 all lines valid, 1 some invalid, 2 usage error or unreadable input,\n"
    "        3 schema invalid (not JSON, or not valid against its meta-schema)\n";

constexpr size_t kBatchBytes = 1 << 20;
// Inputs above this size (or of unknown size) use every core and show progress on a TTY.
constexpr uint64_t kLargeInput = 8 << 20;

struct Args {
  std::string schema_path;
  schema::FormatMode format = schema::FormatMode::kAnnotate;
  ReportFormat output = ReportFormat::kText;
  uint64_t max_errors = 0;  // 0: report every error
  unsigned threads = 0;     // 0: all cores for large inputs
  std::vector<std::string> files;
};

// Returns an empty string on success, else the usage error.
std::string ParseArgs(int argc, char** argv, Args* args) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    std::string value;
    bool has_value = false;
    if (a.size() > 2 && a[0] == '-' && a[1] == '-' && a.find('=') != std::string::npos) {
      value = a.substr(a.find('=') + 1);
      a = a.substr(0, a.find('='));
      has_value = true;
    }
    auto take = [&](std::string* out) {
      if (has_value) {
        *out = value;
        return true;
      }
      if (i + 1 >= argc)
        return false;
      *out = argv[++i];
      return true;
    };
    if (a == "--schema") {
      if (!take(&args->schema_path))
        return "--schema needs a file";
    } else if (a == "--strict-format") {
      args->format = schema::FormatMode::kAssert;
    } else if (a == "--no-format") {
      args->format = schema::FormatMode::kIgnore;
    } else if (a == "--output") {
      std::string v;
      if (!take(&v))
        return "--output needs a value";
      if (v == "text") {
        args->output = ReportFormat::kText;
      } else if (v == "json") {
        args->output = ReportFormat::kJson;
      } else if (v == "github") {
        args->output = ReportFormat::kGithub;
      } else if (v == "junit") {
        args->output = ReportFormat::kJunit;
      } else {
        return "unknown --output " + v;
      }
    } else if (a == "--max-errors" || a == "--threads") {
      std::string v;
      char* end = nullptr;
      if (!take(&v) || v.empty())
        return a + " needs a number";
      unsigned long long n = std::strtoull(v.c_str(), &end, 10);
      if (*end != '\0' || v[0] == '-')
        return a + " needs a number, got " + v;
      if (a == "--max-errors") {
        args->max_errors = n;
      } else {
        args->threads = unsigned(n);
      }
    } else if (a == "-h" || a == "--help") {
      return "help";
    } else if (a.size() > 1 && a[0] == '-') {
      return "unknown option " + a;
    } else {
      args->files.push_back(argv[i]);
    }
  }
  if (args->schema_path.empty())
    return "--schema is required";
  if (args->files.empty())
    return "no input FILE (use '-' for stdin)";
  return "";
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return IOError("cannot read " + path + ": " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad())
    return IOError("cannot read " + path);
  return ss.str();
}

// `$ref`s to file:// URIs (relative refs from a schema file resolve to those) read the disk.
Result<std::string> ResolveFileUri(std::string_view uri) {
  if (uri.substr(0, 7) != "file://")
    return NotFoundError("only file:// references are served");
  return ReadWholeFile(std::string(uri.substr(7)));
}

struct BatchResult {
  uint64_t passed = 0, failed = 0;
  std::vector<std::vector<Finding>> invalid_lines;
};

bool Blank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r')
      return false;
  }
  return true;
}

void ProcessBatch(const LineBatch& batch, schema::LineValidator& validator, uint64_t cap,
                  BatchResult* result) {
  *result = BatchResult();
  std::vector<schema::ValidationError> errors;
  for (const LineBatch::Line& line : batch.lines) {
    std::string_view text = batch.text(line);
    if (Blank(text))
      continue;  // empty lines are neither valid nor invalid records
    Result<bool> valid = validator.ValidatePadded(text, schema::ErrorMode::kFirst, nullptr);
    if (valid.ok() && *valid) {
      ++result->passed;
      continue;
    }
    ++result->failed;
    std::vector<Finding>& findings = result->invalid_lines.emplace_back();
    if (!valid.ok()) {
      findings.push_back({line.number, 1, "json", "", "", valid.status().message()});
      continue;
    }
    errors.clear();
    // Same text, same parser: the second pass cannot fail to parse.
    validator.ValidatePadded(text, schema::ErrorMode::kAll, &errors, cap).status().IgnoreError();
    for (schema::ValidationError& e : errors) {
      uint64_t column = LocateJsonPointer(text, e.instance_location) + 1;
      findings.push_back({line.number, column, std::move(e.keyword), std::move(e.instance_location),
                          std::move(e.schema_location), std::move(e.message)});
    }
  }
}

class Progress {
 public:
  Progress(const std::string& name, const LineSource& source)
      : name_(name),
        source_(source),
        enabled_(::isatty(STDERR_FILENO) &&
                 (source.size_hint() == 0 || source.size_hint() > kLargeInput)),
        last_(std::chrono::steady_clock::now()) {}

  void Update(uint64_t lines) {
    if (!enabled_)
      return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(250))
      return;
    last_ = now;
    uint64_t size = source_.size_hint();
    if (size > 0) {
      std::fprintf(stderr, "\r%s: %llu lines, %3.0f%%", name_.c_str(), (unsigned long long)lines,
                   100.0 * double(source_.bytes_read()) / double(size));
    } else {
      std::fprintf(stderr, "\r%s: %llu lines", name_.c_str(), (unsigned long long)lines);
    }
    shown_ = true;
  }

  ~Progress() {
    if (shown_)
      std::fprintf(stderr, "\r\033[K");
  }

 private:
  std::string name_;
  const LineSource& source_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_;
};

class Runner {
 public:
  Runner(const Args& args, const schema::Schema& schema, ReportWriter& writer)
      : args_(args), schema_(schema), writer_(writer) {
    unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    max_threads_ = args.threads == 0 ? hw : args.threads;
    for (unsigned i = 0; i < max_threads_; ++i) {
      validators_.push_back(std::make_unique<schema::LineValidator>(schema_));
    }
  }

  // False if the file could not be read (reported on stderr).
  bool RunFile(const std::string& path) {
    std::string name = path == "-" ? "<stdin>" : path;
    Result<std::unique_ptr<LineSource>> source = LineSource::Open(path);
    if (!source.ok()) {
      std::fprintf(stderr, "sluice-agent validate: %s\n", source.status().message().c_str());
      return false;
    }
    uint64_t size = (*source)->size_hint();
    unsigned threads = (size == 0 || size > kLargeInput) ? max_threads_ : 1;
    std::vector<LineBatch> batches(threads);
    std::vector<BatchResult> results(threads);
    uint64_t passed = 0, failed = 0;
    bool ok = true;
    writer_.BeginFile(name);
    Progress progress(name, **source);
    while (true) {
      unsigned n = 0;
      for (; n < threads; ++n) {
        Result<bool> more = (*source)->Next(&batches[n], kBatchBytes);
        if (!more.ok()) {
          std::fprintf(stderr, "sluice-agent validate: %s\n", more.status().message().c_str());
          ok = false;
          break;
        }
        if (!*more)
          break;
      }
      if (n == 0)
        break;
      uint64_t cap = args_.max_errors;
      std::vector<std::thread> workers;
      for (unsigned i = 1; i < n; ++i) {
        workers.emplace_back(
            [&, i] { ProcessBatch(batches[i], *validators_[i], cap, &results[i]); });
      }
      ProcessBatch(batches[0], *validators_[0], cap, &results[0]);
      for (std::thread& t : workers)
        t.join();
      for (unsigned i = 0; i < n; ++i) {
        passed += results[i].passed;
        failed += results[i].failed;
        for (std::vector<Finding>& line : results[i].invalid_lines)
          Emit(line);
      }
      progress.Update(passed + failed);
      if (!ok || n < threads)
        break;
    }
    writer_.EndFile(passed, failed);
    return ok;
  }

 private:
  void Emit(std::vector<Finding>& findings) {
    if (args_.max_errors != 0) {
      if (reported_ >= args_.max_errors)
        return;
      if (findings.size() > args_.max_errors - reported_) {
        findings.resize(args_.max_errors - reported_);
      }
    }
    reported_ += findings.size();
    writer_.AddLine(findings);
  }

  const Args& args_;
  const schema::Schema& schema_;
  ReportWriter& writer_;
  unsigned max_threads_;
  std::vector<std::unique_ptr<schema::LineValidator>> validators_;
  uint64_t reported_ = 0;
};

}  // namespace

int RunValidateCommand(int argc, char** argv) {
  Args args;
  std::string usage_error = ParseArgs(argc, argv, &args);
  if (usage_error == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (!usage_error.empty()) {
    std::fprintf(stderr, "sluice-agent validate: %s\n%s", usage_error.c_str(), kUsage);
    return 2;
  }
  Result<std::string> schema_text = ReadWholeFile(args.schema_path);
  if (!schema_text.ok()) {
    std::fprintf(stderr, "sluice-agent validate: schema: %s\n",
                 schema_text.status().message().c_str());
    return 2;
  }
  schema::CompileOptions options;
  options.format = args.format;
  options.resolver = ResolveFileUri;
  std::error_code ec;
  options.base_uri = "file://" + std::filesystem::absolute(args.schema_path, ec).string();
  Result<std::shared_ptr<const schema::Schema>> compiled =
      schema::Schema::Compile(*schema_text, options);
  if (!compiled.ok()) {
    std::fprintf(stderr, "sluice-agent validate: schema %s: %s\n", args.schema_path.c_str(),
                 compiled.status().message().c_str());
    return 3;
  }
  ReportWriter writer(args.output, stdout, stderr);
  Runner runner(args, **compiled, writer);
  bool all_read = true;
  for (const std::string& file : args.files)
    all_read = runner.RunFile(file) && all_read;
  writer.Finish();
  if (!all_read)
    return 2;
  return writer.failed() > 0 ? 1 : 0;
}

}  // namespace sluice::agent
