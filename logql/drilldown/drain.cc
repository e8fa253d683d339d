#include "logql/drilldown/drain.h"

#include <algorithm>

namespace sluice::logql::drilldown {

namespace {

constexpr size_t kMinTokens = 4;
constexpr size_t kMaxTokens = 80;

bool HasDigit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

struct Drain::Node {
  // Few children (max_children caps the fan-out; the root has one per token count), so a
  // linear scan beats a map.
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> children;
  std::vector<int> cluster_ids;

  Node* Child(std::string_view key) const {
    for (const auto& [k, n] : children) {
      if (k == key)
        return n.get();
    }
    return nullptr;
  }

  Node* AddChild(std::string_view key) {
    children.emplace_back(std::string(key), std::make_unique<Node>());
    return children.back().second.get();
  }
};

void LogCluster::AddSample(int64_t bucket_ns) {
  // Lines mostly arrive in time order (either way): check the ends before searching.
  if (!samples_.empty() && samples_.back().first == bucket_ns) {
    ++samples_.back().second;
    return;
  }
  if (samples_.empty() || samples_.back().first < bucket_ns) {
    samples_.emplace_back(bucket_ns, 1);
    return;
  }
  if (samples_.front().first == bucket_ns) {  // newest-first scans
    ++samples_.front().second;
    return;
  }
  auto it = std::lower_bound(samples_.begin(), samples_.end(), bucket_ns,
                             [](const auto& s, int64_t b) { return s.first < b; });
  if (it != samples_.end() && it->first == bucket_ns) {
    ++it->second;
  } else {
    samples_.insert(it, {bucket_ns, 1});
  }
}

Drain::Drain(DrainOptions options, LineFormat format)
    : options_(std::move(options)),
      max_node_depth_(std::max(3, options_.log_cluster_depth) - 2),
      tokenizer_(NewLineTokenizer(format, options_.placeholder, options_.max_line_length)),
      root_(std::make_unique<Node>()) {
  if (options_.sample_interval_ns <= 0)
    options_.sample_interval_ns = 1;
  if (options_.max_clusters == 0)
    options_.max_clusters = 1;
}

Drain::~Drain() = default;

LogCluster* Drain::Get(int id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end())
    return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return &*it->second;
}

const LogCluster* Drain::Train(std::string_view line, int64_t ts_ns) {
  if (!tokenizer_->Tokenize(line, &scratch_))
    return nullptr;
  const auto& tokens = scratch_.tokens;
  if (tokens.size() < kMinTokens || tokens.size() > kMaxTokens)
    return nullptr;
  int64_t bucket = ts_ns - ts_ns % options_.sample_interval_ns;
  if (ts_ns < 0 && ts_ns % options_.sample_interval_ns != 0)
    bucket -= options_.sample_interval_ns;
  LogCluster* match = TreeSearch(tokens);
  if (match == nullptr) {
    if (lru_.size() >= options_.max_clusters)
      Evict();
    LogCluster c;
    c.id_ = ++next_id_;
    c.tokens_.assign(tokens.begin(), tokens.end());
    c.spaces_after_ = scratch_.spaces_after;
    lru_.push_front(std::move(c));
    by_id_[lru_.front().id_] = lru_.begin();
    match = &lru_.front();
    AddToPrefixTree(*match);
  } else {
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (match->tokens_[i] != tokens[i])
        match->tokens_[i] = options_.placeholder;
    }
  }
  ++match->size_;
  match->AddSample(bucket);
  return match;
}

void Drain::Evict() {
  int id = lru_.back().id_;
  by_id_.erase(id);
  lru_.pop_back();
  // The id stays in its leaf until the leaf is next rewritten (AddToPrefixTree drops dead ids);
  // lookups skip it.
}

LogCluster* Drain::TreeSearch(const std::vector<std::string_view>& tokens) {
  Node* cur = root_->Child(std::to_string(tokens.size()));
  if (cur == nullptr)
    return nullptr;
  int depth = 1;
  const int count = static_cast<int>(tokens.size());
  for (std::string_view token : tokens) {
    if (depth >= max_node_depth_ || depth == count)
      break;
    Node* next = cur->Child(token);
    if (next == nullptr)
      next = cur->Child(options_.placeholder);
    if (next == nullptr)
      return nullptr;
    cur = next;
    ++depth;
  }
  return FastMatch(cur->cluster_ids, tokens);
}

LogCluster* Drain::FastMatch(const std::vector<int>& ids,
                             const std::vector<std::string_view>& tokens) {
  LogCluster* best = nullptr;
  double best_sim = -1;
  int best_params = -1;
  for (int id : ids) {
    auto it = by_id_.find(id);
    if (it == by_id_.end())
      continue;
    LogCluster& c = *it->second;
    int same = 0;
    int params = 0;
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (c.tokens_[i] == options_.placeholder) {
        ++params;
      } else if (c.tokens_[i] == tokens[i]) {
        ++same;
      }
    }
    double sim = static_cast<double>(same) / static_cast<double>(tokens.size());
    if (sim > best_sim || (sim == best_sim && params > best_params)) {
      best_sim = sim;
      best_params = params;
      best = &c;
    }
  }
  if (best == nullptr || best_sim < options_.sim_th)
    return nullptr;
  return Get(best->id_);
}

void Drain::AddToPrefixTree(const LogCluster& c) {
  const int count = static_cast<int>(c.tokens_.size());
  std::string count_key = std::to_string(count);
  Node* cur = root_->Child(count_key);
  if (cur == nullptr)
    cur = root_->AddChild(count_key);
  int depth = 1;
  const std::string& ph = options_.placeholder;
  const auto max_children = static_cast<size_t>(options_.max_children);
  for (const std::string& token : c.tokens_) {
    if (depth >= max_node_depth_ || depth >= count) {
      std::erase_if(cur->cluster_ids, [this](int id) { return by_id_.count(id) == 0; });
      cur->cluster_ids.push_back(c.id_);
      break;
    }
    Node* next = cur->Child(token);
    if (next == nullptr) {
      Node* param = cur->Child(ph);
      if (HasDigit(token)) {
        // Tokens with digits are likely variables: prefer the wildcard branch.
        next = param != nullptr ? param : cur->AddChild(ph);
      } else if (param != nullptr) {
        next = cur->children.size() < max_children ? cur->AddChild(token) : param;
      } else if (cur->children.size() + 1 < max_children) {
        next = cur->AddChild(token);
      } else if (cur->children.size() + 1 == max_children) {
        next = cur->AddChild(ph);
      } else {
        next = nullptr;  // full without a wildcard child: cannot happen given the rules above
      }
      if (next == nullptr)
        next = cur->AddChild(ph);
    }
    cur = next;
    ++depth;
  }
}

std::vector<const LogCluster*> Drain::Clusters() const {
  std::vector<const LogCluster*> out;
  out.reserve(lru_.size());
  for (const LogCluster& c : lru_)
    out.push_back(&c);
  return out;
}

std::string Drain::Pattern(const LogCluster& c) const {
  return DeduplicatePlaceholders(tokenizer_->Join(c.tokens_, c.spaces_after_),
                                 options_.placeholder);
}

}  // namespace sluice::logql::drilldown
