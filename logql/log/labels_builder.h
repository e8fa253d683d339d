// LabelsBuilder: the per-entry label state a log pipeline works on (Loki's LabelsBuilder).
//
// Three categories are kept apart so the engine can emit Loki's categorize-labels encoding:
//   kStream             the stream's indexed labels (the base), minus deletions, plus labels a
//                       stage re-assigned with category kStream;
//   kStructuredMetadata the entry's non-indexed metadata (trace_id, detected_level, ...);
//   kParsed             labels added by parsers, label_format, and the error labels.
// A name lives in at most one category. Precedence when the same name is set twice:
// parsed > structured metadata > stream (a lower category's Set is then a no-op), as Loki.
// `__error__` / `__error_details__` are stored apart (SetError / error()) but read through
// Get() and printed by Labels() like any parsed label.
//
//   LabelsBuilder lb;
//   lb.SetStream(it->StreamLabels());          // when the stream changes (copies it)
//   lb.Reset(entry.metadata);                   // per entry: no allocation in steady state
//   if (pipeline.Process(entry.timestamp_ns, &line, &lb)) emit(lb.Labels(), line);
//
// Naming rules parsers apply before Set (helpers below): SanitizeLabelName, then
// ExtractedName() adds "_extracted" when the name is one of the original stream labels or a
// current structured-metadata label; a parser skips a name already extracted (Extracted()) for
// this entry, so the first occurrence of a duplicate key wins.
// Thread-safety: none; one builder per evaluating thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/labels.h"

namespace sluice::logql::log {

inline constexpr std::string_view kErrorLabel = "__error__";
inline constexpr std::string_view kErrorDetailsLabel = "__error_details__";
// Values of __error__ (pkg/logqlmodel/error.go).
inline constexpr std::string_view kJsonParserErr = "JSONParserErr";
inline constexpr std::string_view kLogfmtParserErr = "LogfmtParserErr";
inline constexpr std::string_view kLabelFilterErr = "LabelFilterErr";
inline constexpr std::string_view kTemplateFormatErr = "TemplateFormatErr";
inline constexpr std::string_view kSampleExtractionErr = "SampleExtractionErr";
// Suffix for an extracted label whose name clashes with a stream label.
inline constexpr std::string_view kExtractedSuffix = "_extracted";

enum class LabelCategory { kStream = 0, kStructuredMetadata = 1, kParsed = 2 };

// Loki's sanitizeLabelKey: trims spaces, maps every char outside [A-Za-z0-9_] to '_', and
// prefixes '_' when the first char is a digit. Returns "" for an empty (or all-space) key.
// `prefix_digit` false skips the digit rule (used for the inner parts of json keys).
std::string SanitizeLabelName(std::string_view key, bool prefix_digit = true);
// Same, appending to `out` (no allocation when `out` has capacity).
void AppendSanitizedLabelName(std::string_view key, bool prefix_digit, std::string* out);

class LabelsBuilder {
 public:
  LabelsBuilder();

  // Sets the base (stream) labels; call when the stream changes. Copies `stream` (a no-op if
  // it is equal to the current base). Also Reset()s.
  void SetStream(const sluice::Labels& stream);

  const sluice::Labels& stream() const { return base_; }

  // Starts a new entry: drops every change of the previous entry (deletions, added labels,
  // errors) keeping buffer capacity, then adds `metadata` as kStructuredMetadata (a name equal
  // to a stream label gets "_extracted"; `__error__`/`__error_details__` set the error).
  void Reset(std::span<const Label> metadata = {});

  // True if `name` is one of the original stream labels (deleted or not): the test parsers
  // use for the "_extracted" suffix.
  bool BaseHas(std::string_view name) const;
  // `name` + "_extracted" if BaseHas(name) or `name` is a structured-metadata label, else
  // `name`, written into *out.
  void ExtractedName(std::string_view name, std::string* out) const;
  // True if a kParsed Set of `name` happened since Reset() (even if later deleted).
  bool Extracted(std::string_view name) const;

  // A parser's write of `key` in two steps with one name lookup (the hot path of json /
  // logfmt): ResolveParsed writes ExtractedName(key) into *name and returns kAlreadyExtracted
  // when Extracted(*name) (the first occurrence of a key wins), else a position for
  // SetParsed(position, *name, value), which equals Set(kParsed, *name, value). No other
  // mutation may come between the two calls.
  static constexpr int kAlreadyExtracted = -2;
  int ResolveParsed(std::string_view key, std::string* name) const;
  void SetParsed(int position, std::string_view name, std::string_view value);

  // Current value of `name`: added labels first, then non-deleted stream labels, and the
  // error labels. nullopt when absent. The view is valid until the next mutation.
  std::optional<std::string_view> Get(std::string_view name) const;

  // Value or "" (Loki treats absent and empty alike in string comparisons).
  std::string_view GetOrEmpty(std::string_view name) const { return Get(name).value_or(""); }

  bool Has(std::string_view name) const { return Get(name).has_value(); }

  // Category of `name` if present (the error labels report kParsed).
  std::optional<LabelCategory> CategoryOf(std::string_view name) const;

  // Sets `name` (which must already be sanitised) to `value` in `category`, with the
  // precedence rule above. Setting "__error__"/"__error_details__" goes to SetError*.
  void Set(LabelCategory category, std::string_view name, std::string_view value);
  // Removes `name` from every category (stream labels included). "__error__" clears only the
  // error, "__error_details__" only the details (as Loki's drop).
  void Del(std::string_view name);

  // Error labels. SetError("") clears; an empty details string means no __error_details__.
  void SetError(std::string_view err);
  void SetErrorDetails(std::string_view details);

  void SetError(std::string_view err, std::string_view details) {
    SetError(err);
    SetErrorDetails(details);
  }

  bool HasError() const { return !err_.empty(); }

  std::string_view error() const { return err_; }

  std::string_view error_details() const { return err_details_; }

  // Calls fn(name, value) for every current label, sorted by name, including the error labels
  // and labels whose value is empty. Allocation-free.
  template <typename Fn>
  void ForEachSorted(Fn&& fn) const;

  // The full current label set, sorted; values may be empty (Loki prints `x=""` for a json
  // param that found nothing). Appends to *out after clearing it.
  void AppendAll(std::vector<Label>* out) const;
  // Only one category (kParsed includes the error labels), sorted.
  void AppendCategory(LabelCategory category, std::vector<Label>* out) const;
  // The full set as common Labels (empty values dropped, as Labels does).
  sluice::Labels Labels() const;
  // XXH3 fingerprint of the full current set (error labels included, empty values skipped as
  // Labels drops them), computed without allocating. Always equals Labels().Hash().
  uint64_t Hash() const;

 private:
  struct Slot {
    uint32_t tag = 0;  // NameTag(name): most mismatches are rejected without a memcmp
    std::string name;
    std::string value;
    LabelCategory category = LabelCategory::kParsed;
    bool live = false;       // false: deleted, kept only to remember `extracted`
    bool extracted = false;  // set by a kParsed Set since Reset()
  };

  // A cheap fingerprint of a label name (length and three of its bytes).
  static uint32_t NameTag(std::string_view name) {
    if (name.empty())
      return 0;
    return static_cast<uint32_t>(name.size()) ^
           (static_cast<uint32_t>(static_cast<unsigned char>(name[0])) << 8) ^
           (static_cast<uint32_t>(static_cast<unsigned char>(name[name.size() / 2])) << 16) ^
           (static_cast<uint32_t>(static_cast<unsigned char>(name.back())) << 24);
  }

  // Index into slots_[0, num_slots_) of `name`, or -1.
  int FindSlot(std::string_view name) const;
  int FindBase(std::string_view name) const;
  // Sorted order of the live labels into order_ (indices: >= 0 slot, < 0 base ~i, error
  // labels as kErrIdx / kErrDetailsIdx).
  void BuildOrder() const;
  std::string_view NameAt(int idx) const;
  std::string_view ValueAt(int idx) const;

  static constexpr int kErrIdx = 1 << 29;
  static constexpr int kErrDetailsIdx = (1 << 29) + 1;

  sluice::Labels base_;
  std::vector<uint8_t> base_deleted_;  // parallel to base_.pairs()
  std::vector<uint32_t> base_tags_;    // NameTag of each base name
  std::vector<Slot> slots_;            // [0, num_slots_) live; the rest keep capacity
  int num_slots_ = 0;
  std::string err_;
  std::string err_details_;
  mutable std::vector<int> order_;
};

template <typename Fn>
void LabelsBuilder::ForEachSorted(Fn&& fn) const {
  BuildOrder();
  for (int idx : order_)
    fn(NameAt(idx), ValueAt(idx));
}

}  // namespace sluice::logql::log
