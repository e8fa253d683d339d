// Template: the Go text/template subset used by line_format and label_format (Loki's fmt.go),
// compiled once and rendered per entry over the current labels.
//
// Supported: text and {{ }} actions with trim markers ({{- -}}), comments, `.label` fields
// (missing = ""), `$` and `$x := ...` variables, string / raw string / char / number / bool
// literals, pipelines with `|`, parenthesised calls, if / else if / else / with / range
// (range over a fromJson list or map) / end, and the functions of TemplateFunctionNames().
// An unknown function is an error at Compile ("function \"x\" not defined", as Go).
// Render errors (bad argument types, a failing function) are returned as Status; the caller
// turns them into __error__="TemplateFormatErr".
// Thread-safety: a compiled Template is immutable; Render uses caller-provided scratch.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sluice::logql::log {

class LabelsBuilder;

class Template {
 public:
  // `name` is Go's template name used in error texts ("line" or "label").
  static Result<Template> Compile(std::string_view name, std::string_view text);

  // Appends the rendering to *out (cleared first). `line` and `ts_ns` feed __line__ and
  // __timestamp__.
  Status Render(const LabelsBuilder& labels, std::string_view line, int64_t ts_ns,
                std::string* out) const;

  // When the template is exactly `{{.name}}`, the name (line_format fast path); else "".
  const std::string& simple_field() const;

  struct Node;

 private:
  std::shared_ptr<const Node> root_;
  std::string name_;
  std::string simple_field_;
};

// Every function name a template may call.
std::vector<std::string_view> TemplateFunctionNames();

}  // namespace sluice::logql::log
