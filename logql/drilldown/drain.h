// Drain: the online log-template miner Loki's pattern ingester uses (He et al., "Drain: An
// Online Log Parsing Approach with Fixed Depth Tree", ICWS 2017; Loki pkg/pattern/drain).
// Each line is tokenized (tokenizer.h); lines with the same token count descend a prefix tree
// keyed by their leading tokens (tokens with digits go down a wildcard branch, and a node keeps
// at most max_children children) to a leaf holding candidate clusters; the line joins the most
// similar cluster (share of equal tokens >= sim_th), whose differing tokens become the
// placeholder "<_>", else it founds a new cluster. Clusters are kept in an LRU of
// max_clusters: the least recently matched is evicted when a new one would exceed it.
//
//   Drain d(DrainOptions{}, LineFormat::kUnknown);
//   for (...) d.Train(line, ts_ns);
//   for (const LogCluster* c : d.Clusters()) Use(d.Pattern(*c), c->size(), c->samples());
//
// Each cluster counts its lines per `sample_interval_ns` bucket (timestamp truncated to a
// multiple of it), which is how the /patterns API reports them.
// Memory: bounded by max_clusters clusters (each with its tokens and at most one counter per
// bucket it received lines in) plus the prefix tree over them.
// Thread-safety: none; one Drain per thread.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "logql/drilldown/tokenizer.h"

namespace sluice::logql::drilldown {

struct DrainOptions {
  // Depth of the prefix tree including the token-count layer and the leaf (Loki: 30); >= 3.
  int log_cluster_depth = 30;
  // Minimum share of equal tokens for a line to join a cluster (Loki: 0.3).
  double sim_th = 0.3;
  int max_children = 15;
  size_t max_clusters = 300;
  size_t max_line_length = 3000;
  std::string placeholder = "<_>";
  // Width of the count buckets; the /patterns step. Default 10 s (Loki's sample interval).
  int64_t sample_interval_ns = 10LL * 1'000'000'000;
};

// A pattern and its counts.
class LogCluster {
 public:
  int id() const { return id_; }

  // Lines merged into the cluster.
  int64_t size() const { return size_; }

  const std::vector<std::string>& tokens() const { return tokens_; }

  // (bucket start ns, count), ascending by bucket.
  const std::vector<std::pair<int64_t, int64_t>>& samples() const { return samples_; }

 private:
  friend class Drain;
  void AddSample(int64_t bucket_ns);

  int id_ = 0;
  int64_t size_ = 0;
  std::vector<std::string> tokens_;
  std::vector<int> spaces_after_;
  std::vector<std::pair<int64_t, int64_t>> samples_;
};

class Drain {
 public:
  Drain(DrainOptions options, LineFormat format);
  ~Drain();
  Drain(const Drain&) = delete;
  Drain& operator=(const Drain&) = delete;

  // Adds one line; returns its cluster, or null when the line was skipped (too long, fewer
  // than 4 or more than 80 tokens, malformed for the format).
  const LogCluster* Train(std::string_view line, int64_t ts_ns);

  // Live clusters, most recently used first.
  std::vector<const LogCluster*> Clusters() const;

  // The cluster's template as text (tokens joined by the format's rules, runs of the
  // placeholder collapsed).
  std::string Pattern(const LogCluster& c) const;

 private:
  struct Node;

  LogCluster* Get(int id);  // touches the LRU; null when evicted
  LogCluster* TreeSearch(const std::vector<std::string_view>& tokens);
  LogCluster* FastMatch(const std::vector<int>& ids, const std::vector<std::string_view>& tokens);
  void AddToPrefixTree(const LogCluster& c);
  void Evict();

  DrainOptions options_;
  int max_node_depth_;
  std::unique_ptr<LineTokenizer> tokenizer_;
  std::unique_ptr<Node> root_;
  int next_id_ = 0;
  // LRU of clusters: front = most recent.
  std::list<LogCluster> lru_;
  std::unordered_map<int, std::list<LogCluster>::iterator> by_id_;
  TokenizedLine scratch_;
};

}  // namespace sluice::logql::drilldown
