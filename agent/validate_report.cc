#include "agent/validate_report.h"

namespace sluice::agent {

namespace {

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out.append(buf);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

// GitHub workflow command escaping: data escapes %, CR, LF; properties also ':' and ','.
std::string GithubEscape(const std::string& s, bool property) {
  std::string out;
  for (char c : s) {
    if (c == '%') {
      out.append("%25");
    } else if (c == '\r') {
      out.append("%0D");
    } else if (c == '\n') {
      out.append("%0A");
    } else if (property && c == ':') {
      out.append("%3A");
    } else if (property && c == ',') {
      out.append("%2C");
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string XmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out.append("&amp;");
        break;
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      case '"':
        out.append("&quot;");
        break;
      case '\'':
        out.append("&apos;");
        break;
      default:
        // XML 1.0 forbids most control characters even escaped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          out.push_back('?');
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

std::string Pointer(const std::string& p) {
  return p.empty() ? "/" : p;
}

}  // namespace

ReportWriter::ReportWriter(ReportFormat format, FILE* out, FILE* summary)
    : format_(format), out_(out), summary_(summary) {}

std::string ReportWriter::TextLine(const std::string& file, const Finding& f) {
  std::string s = file + ":" + std::to_string(f.line) + ":" + std::to_string(f.column) + ": ";
  if (f.keyword == "json")
    return s + "json: not valid JSON: " + f.message;
  return s + f.keyword + " at " + Pointer(f.instance_location) + " (schema " +
         Pointer(f.schema_location) + "): " + f.message;
}

void ReportWriter::BeginFile(const std::string& name) {
  file_ = name;
  if (format_ == ReportFormat::kJunit) {
    JunitSuite suite;
    suite.name = name;
    suites_.push_back(std::move(suite));
  }
}

void ReportWriter::AddLine(const std::vector<Finding>& findings) {
  if (findings.empty())
    return;
  switch (format_) {
    case ReportFormat::kText:
      for (const Finding& f : findings)
        std::fprintf(out_, "%s\n", TextLine(file_, f).c_str());
      break;
    case ReportFormat::kGithub:
      for (const Finding& f : findings) {
        std::string message = f.keyword == "json"
                                  ? "not valid JSON: " + f.message
                                  : f.message + " (at " + Pointer(f.instance_location) +
                                        ", schema " + Pointer(f.schema_location) + ")";
        std::fprintf(out_, "::error file=%s,line=%llu,col=%llu,title=%s::%s\n",
                     GithubEscape(file_, true).c_str(), (unsigned long long)f.line,
                     (unsigned long long)f.column, GithubEscape(f.keyword, true).c_str(),
                     GithubEscape(message, false).c_str());
      }
      break;
    case ReportFormat::kJson:
      for (const Finding& f : findings) {
        std::fprintf(out_,
                     "{\"file\":%s,\"line\":%llu,\"column\":%llu,\"keyword\":%s,"
                     "\"instance_location\":%s,\"schema_location\":%s,\"message\":%s}\n",
                     JsonString(file_).c_str(), (unsigned long long)f.line,
                     (unsigned long long)f.column, JsonString(f.keyword).c_str(),
                     JsonString(f.instance_location).c_str(), JsonString(f.schema_location).c_str(),
                     JsonString(f.message).c_str());
      }
      break;
    case ReportFormat::kJunit: {
      JunitCase c;
      c.name = "line " + std::to_string(findings.front().line);
      c.type = findings.front().keyword;
      c.message = findings.front().message;
      for (const Finding& f : findings)
        c.body += TextLine(file_, f) + "\n";
      suites_.back().cases.push_back(std::move(c));
      break;
    }
  }
}

void ReportWriter::EndFile(uint64_t passed, uint64_t failed) {
  passed_ += passed;
  failed_ += failed;
  if (format_ == ReportFormat::kJunit) {
    suites_.back().passed = passed;
    suites_.back().failed = failed;
  }
}

void ReportWriter::Finish() {
  if (format_ == ReportFormat::kJunit) {
    uint64_t tests = 0;
    for (const JunitSuite& s : suites_)
      tests += s.cases.size() + (s.passed > 0 ? 1 : 0);
    std::fprintf(out_, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    std::fprintf(out_,
                 "<testsuites name=\"sluice-agent validate\" tests=\"%llu\" failures=\"%llu\">\n",
                 (unsigned long long)tests, (unsigned long long)failed_);
    for (const JunitSuite& s : suites_) {
      std::fprintf(out_, "  <testsuite name=\"%s\" tests=\"%llu\" failures=\"%llu\">\n",
                   XmlEscape(s.name).c_str(),
                   (unsigned long long)(s.cases.size() + (s.passed > 0 ? 1 : 0)),
                   (unsigned long long)s.failed);
      if (s.passed > 0) {
        std::fprintf(out_, "    <testcase classname=\"%s\" name=\"%llu valid lines\"/>\n",
                     XmlEscape(s.name).c_str(), (unsigned long long)s.passed);
      }
      for (const JunitCase& c : s.cases) {
        std::fprintf(out_,
                     "    <testcase classname=\"%s\" name=\"%s\">\n"
                     "      <failure type=\"%s\" message=\"%s\">%s</failure>\n"
                     "    </testcase>\n",
                     XmlEscape(s.name).c_str(), XmlEscape(c.name).c_str(),
                     XmlEscape(c.type).c_str(), XmlEscape(c.message).c_str(),
                     XmlEscape(c.body).c_str());
      }
      std::fprintf(out_, "  </testsuite>\n");
    }
    std::fprintf(out_, "</testsuites>\n");
  }
  FILE* closing =
      format_ == ReportFormat::kText || format_ == ReportFormat::kGithub ? out_ : summary_;
  std::fprintf(closing, "%llu passed, %llu failed\n", (unsigned long long)passed_,
               (unsigned long long)failed_);
  std::fflush(out_);
  std::fflush(summary_);
}

}  // namespace sluice::agent
