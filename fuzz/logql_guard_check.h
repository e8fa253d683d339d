// Differential check shared by the parser-stage fuzzers: the label filter pushdown in front of
// a parser (NewParserGuard) must never drop an entry that `parser | k="a"` keeps, and must
// leave the labels of the entries it keeps exactly as the bare parser does. Aborts otherwise.
#pragma once

#include <cstdlib>
#include <memory>
#include <string_view>

#include "common/matcher.h"
#include "logql/log/label_filter.h"
#include "logql/log/labels_builder.h"
#include "logql/log/stage.h"

namespace sluice::logql::log {

// `make` builds a fresh parser stage (called twice, once per side).
template <typename Make>
void CheckParserGuard(Make make, std::string_view input) {
  static const sluice::Labels stream = sluice::Labels::FromPairs({{"app", "fuzz"}});
  static const LabelFilterExpr filter =
      LabelFilterExpr::String(*LabelMatcher::Make(MatchType::kEqual, "k", "a"));
  static std::unique_ptr<Stage> bare = make();
  static std::unique_ptr<Stage> guarded = NewParserGuard(make(), {{"k", "a"}});
  LabelsBuilder a, b;
  a.SetStream(stream);
  b.SetStream(stream);
  std::string_view la = input, lbv = input;
  const bool kept_bare = bare->Process(0, &la, &a) && filter.Process(&a);
  const bool kept_guarded = guarded->Process(0, &lbv, &b) && filter.Process(&b);
  if (kept_bare != kept_guarded || (kept_bare && a.Hash() != b.Hash()))
    std::abort();
}

}  // namespace sluice::logql::log
