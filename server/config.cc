#include "server/config.h"

#include <charconv>
#include <cmath>
#include <exception>
#include <functional>
#include <map>

#include <yaml-cpp/yaml.h>

#include "common/file_system.h"
#include "common/time_util.h"

namespace sluice::server {

namespace {

// Walks one YAML mapping, applying known keys and rejecting unknown ones.
class Section {
 public:
  Section(const YAML::Node& node, std::string path) : node_(node), path_(std::move(path)) {}

  using Setter = std::function<Status(const YAML::Node&, const std::string& key_path)>;

  void On(const std::string& key, Setter setter) { setters_[key] = std::move(setter); }

  Status Apply() const {
    if (!node_ || node_.IsNull())
      return Status::Ok();
    if (!node_.IsMap())
      return InvalidArgumentError(Where(path_) + "expected a mapping");
    for (const auto& kv : node_) {
      std::string key = kv.first.as<std::string>();
      std::string key_path = path_.empty() ? key : path_ + "." + key;
      auto it = setters_.find(key);
      if (it == setters_.end())
        return InvalidArgumentError("unknown config key \"" + key_path + "\"");
      SLUICE_RETURN_IF_ERROR(it->second(kv.second, key_path));
    }
    return Status::Ok();
  }

  static std::string Where(const std::string& path) {
    return path.empty() ? std::string() : "config key \"" + path + "\": ";
  }

 private:
  const YAML::Node& node_;
  std::string path_;
  std::map<std::string, Setter> setters_;
};

Status Bad(const std::string& path, const std::string& what) {
  return InvalidArgumentError("config key \"" + path + "\": " + what);
}

Result<std::string> Scalar(const YAML::Node& n, const std::string& path) {
  if (!n.IsScalar())
    return Bad(path, "expected a scalar value");
  return n.Scalar();
}

Result<bool> GetBool(const YAML::Node& n, const std::string& path) {
  SLUICE_ASSIGN_OR_RETURN(std::string s, Scalar(n, path));
  if (s == "true" || s == "True" || s == "yes" || s == "on")
    return true;
  if (s == "false" || s == "False" || s == "no" || s == "off")
    return false;
  return Bad(path, "expected true or false, got \"" + s + "\"");
}

Result<double> GetDouble(const YAML::Node& n, const std::string& path) {
  SLUICE_ASSIGN_OR_RETURN(std::string s, Scalar(n, path));
  double v = 0;
  auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size() || !std::isfinite(v) || v < 0) {
    return Bad(path, "expected a non-negative number, got \"" + s + "\"");
  }
  return v;
}

Result<int64_t> GetInt(const YAML::Node& n, const std::string& path, int64_t min, int64_t max) {
  SLUICE_ASSIGN_OR_RETURN(std::string s, Scalar(n, path));
  int64_t v = 0;
  auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size() || v < min || v > max) {
    return Bad(path, "expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) +
                         "], got \"" + s + "\"");
  }
  return v;
}

Result<uint64_t> GetBytes(const YAML::Node& n, const std::string& path) {
  SLUICE_ASSIGN_OR_RETURN(std::string s, Scalar(n, path));
  auto r = ParseByteSize(s);
  if (!r.ok())
    return Bad(path, r.status().message());
  return *r;
}

Result<int64_t> GetDuration(const YAML::Node& n, const std::string& path) {
  SLUICE_ASSIGN_OR_RETURN(std::string s, Scalar(n, path));
  auto r = ParseDurationOrSeconds(s);
  if (!r.ok())
    r = ParseGoDuration(s);
  if (!r.ok() || *r < 0)
    return Bad(path, "expected a duration such as 90s, 1h or 7d, got \"" + s + "\"");
  return *r;
}

template <typename T>
Section::Setter Assign(T* field, Result<T> (*get)(const YAML::Node&, const std::string&)) {
  return [field, get](const YAML::Node& n, const std::string& p) -> Status {
    SLUICE_ASSIGN_OR_RETURN(*field, get(n, p));
    return Status::Ok();
  };
}

template <typename T>
Section::Setter AssignInt(T* field, int64_t min, int64_t max) {
  return [field, min, max](const YAML::Node& n, const std::string& p) -> Status {
    SLUICE_ASSIGN_OR_RETURN(int64_t v, GetInt(n, p, min, max));
    *field = static_cast<T>(v);
    return Status::Ok();
  };
}

template <typename T>
Section::Setter AssignBytes(T* field) {
  return [field](const YAML::Node& n, const std::string& p) -> Status {
    SLUICE_ASSIGN_OR_RETURN(uint64_t v, GetBytes(n, p));
    *field = static_cast<T>(v);
    return Status::Ok();
  };
}

Section::Setter AssignString(std::string* field) {
  return [field](const YAML::Node& n, const std::string& p) -> Status {
    SLUICE_ASSIGN_OR_RETURN(*field, Scalar(n, p));
    return Status::Ok();
  };
}

// discover_service_name is a list of label names in Loki; an empty list turns it off.
Section::Setter AssignBoolOrList(bool* field) {
  return [field](const YAML::Node& n, const std::string& p) -> Status {
    if (n.IsSequence()) {
      *field = n.size() > 0;
      return Status::Ok();
    }
    SLUICE_ASSIGN_OR_RETURN(*field, GetBool(n, p));
    return Status::Ok();
  };
}

constexpr int64_t kMaxInt = int64_t{1} << 40;

void AddLimitKeys(Section* s, ingest::Limits* l) {
  s->On("max_line_size", AssignBytes(&l->max_line_size));
  s->On("max_line_size_truncate", Assign(&l->max_line_size_truncate, GetBool));
  s->On("max_label_names_per_series", AssignInt(&l->max_label_names_per_series, 1, 10000));
  s->On("max_label_name_length", AssignInt(&l->max_label_name_length, 1, kMaxInt));
  s->On("max_label_value_length", AssignInt(&l->max_label_value_length, 1, kMaxInt));
  s->On("reject_old_samples", Assign(&l->reject_old_samples, GetBool));
  s->On("reject_old_samples_max_age", Assign(&l->reject_old_samples_max_age_ns, GetDuration));
  s->On("creation_grace_period", Assign(&l->creation_grace_period_ns, GetDuration));
  s->On("max_structured_metadata_size", AssignBytes(&l->max_structured_metadata_size));
  s->On("max_structured_metadata_entries_count",
        AssignInt(&l->max_structured_metadata_entries, 0, kMaxInt));
  s->On("ingestion_rate_mb", Assign(&l->ingestion_rate_mb, GetDouble));
  s->On("ingestion_burst_size_mb", Assign(&l->ingestion_burst_size_mb, GetDouble));
  s->On("max_streams_per_user", AssignInt(&l->max_streams_per_user, 0, kMaxInt));
  s->On("max_global_streams_per_user", AssignInt(&l->max_streams_per_user, 0, kMaxInt));
  s->On("discover_service_name", AssignBoolOrList(&l->discover_service_name));
  s->On("discover_log_levels", Assign(&l->discover_log_levels, GetBool));
}

Status ApplyRoot(const YAML::Node& root, ServerConfig* c) {
  Section top(root, "");
  top.On("auth_enabled", Assign(&c->auth_enabled, GetBool));
  top.On("default_tenant", AssignString(&c->default_tenant));
  top.On("log_level", AssignString(&c->log_level));
  top.On("server", [c](const YAML::Node& n, const std::string& p) {
    Section s(n, p);
    s.On("http_listen_address", AssignString(&c->http.address));
    s.On("http_listen_port", AssignInt(&c->http.port, 0, 65535));
    s.On("log_level", AssignString(&c->log_level));
    s.On("io_threads", AssignInt(&c->http.io_threads, 0, 1024));
    s.On("worker_threads", AssignInt(&c->http.worker_threads, 0, 4096));
    s.On("max_request_body_size", AssignBytes(&c->http.body_limit));
    s.On("grpc_server_max_recv_msg_size", AssignBytes(&c->http.body_limit));
    auto ms = [](std::chrono::milliseconds* f) {
      return [f](const YAML::Node& n, const std::string& p) -> Status {
        SLUICE_ASSIGN_OR_RETURN(int64_t ns, GetDuration(n, p));
        *f = std::chrono::milliseconds(ns / 1'000'000);
        return Status::Ok();
      };
    };
    s.On("http_server_read_timeout", ms(&c->http.read_timeout));
    s.On("http_server_write_timeout", ms(&c->http.write_timeout));
    s.On("graceful_shutdown_timeout", Assign(&c->shutdown_grace_ns, GetDuration));
    return s.Apply();
  });
  top.On("storage", [c](const YAML::Node& n, const std::string& p) {
    Section s(n, p);
    chunks::StoreOptions& o = c->store;
    s.On("data_dir", AssignString(&c->data_dir));
    s.On("target_chunk_size", AssignBytes(&o.target_chunk_bytes));
    s.On("block_size", AssignBytes(&o.block_bytes));
    s.On("chunk_compression_level", AssignInt(&o.compression_level, 1, 19));
    s.On("max_chunk_age", Assign(&o.max_chunk_age_ns, GetDuration));
    s.On("chunk_idle_period", Assign(&o.chunk_idle_ns, GetDuration));
    s.On("out_of_order_window", Assign(&o.out_of_order_window_ns, GetDuration));
    s.On("wal_segment_size", AssignBytes(&o.wal_segment_bytes));
    s.On("wal_compression_level", AssignInt(&o.wal_compression_level, 0, 19));
    s.On("flush_check_period", Assign(&o.flush_check_interval_ns, GetDuration));
    s.On("index_counter_bucket", Assign(&c->index.counter_bucket_ns, GetDuration));
    s.On("index_block_cache_size", AssignBytes(&c->index.block_cache_bytes));
    s.On("max_decompressed_push_size", AssignBytes(&c->push.max_decompressed_bytes));
    return s.Apply();
  });
  top.On("limits_config", [c](const YAML::Node& n, const std::string& p) {
    Section s(n, p);
    AddLimitKeys(&s, &c->push.defaults);
    s.On("max_entries_limit_per_query", AssignInt(&c->query.max_entries_limit, 1, kMaxInt));
    s.On("max_query_series", AssignInt(&c->query.max_series, 1, kMaxInt));
    s.On("max_query_length", Assign(&c->max_query_length_ns, GetDuration));
    s.On("query_timeout", Assign(&c->query.query_timeout_ns, GetDuration));
    return s.Apply();
  });
  top.On("overrides", [c](const YAML::Node& n, const std::string& p) -> Status {
    if (n.IsNull())
      return Status::Ok();
    if (!n.IsMap())
      return Bad(p, "expected a mapping of tenant IDs to limits");
    for (const auto& kv : n) {
      std::string tenant = kv.first.as<std::string>();
      // Whole Limits per tenant, starting from the defaults given so far.
      auto [it, inserted] = c->push.per_tenant.try_emplace(tenant, c->push.defaults);
      Section s(kv.second, p + "." + tenant);
      AddLimitKeys(&s, &it->second);
      SLUICE_RETURN_IF_ERROR(s.Apply());
    }
    return Status::Ok();
  });
  return top.Apply();
}

}  // namespace

Status ApplyConfigYaml(std::string_view yaml, ServerConfig* config) {
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    // Overrides must start from the final defaults whatever the key order: apply twice when
    // both are present (limits first, then everything).
    if (root.IsMap() && root["limits_config"] && root["overrides"]) {
      YAML::Node limits_only;
      limits_only["limits_config"] = root["limits_config"];
      SLUICE_RETURN_IF_ERROR(ApplyRoot(limits_only, config));
    }
    return ApplyRoot(root, config);
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string("invalid YAML: ") + e.what());
  }
}

Status ApplyConfigFile(const std::string& path, ServerConfig* config) {
  auto text = ReadFileToString(FileSystem::Default(), path);
  if (!text.ok())
    return text.status().WithPrefix("reading config file " + path);
  Status st = ApplyConfigYaml(*text, config);
  if (!st.ok())
    return st.WithPrefix("config file " + path);
  return Status::Ok();
}

Result<uint64_t> ParseByteSize(std::string_view s) {
  auto bad = [&] { return InvalidArgumentError("invalid size \"" + std::string(s) + "\""); };
  size_t i = 0;
  while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
    ++i;
  if (i == 0)
    return bad();
  double num = 0;
  auto res = std::from_chars(s.data(), s.data() + i, num);
  if (res.ec != std::errc() || res.ptr != s.data() + i)
    return bad();
  std::string unit;
  for (char ch : s.substr(i)) {
    if (ch == ' ')
      continue;
    unit.push_back(static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch));
  }
  static const std::map<std::string, double> kUnits = {{"", 1},
                                                       {"B", 1},
                                                       {"K", 1e3},
                                                       {"KB", 1e3},
                                                       {"KIB", 1024.0},
                                                       {"M", 1e6},
                                                       {"MB", 1e6},
                                                       {"MIB", 1048576.0},
                                                       {"G", 1e9},
                                                       {"GB", 1e9},
                                                       {"GIB", 1073741824.0},
                                                       {"T", 1e12},
                                                       {"TB", 1e12},
                                                       {"TIB", 1099511627776.0}};
  auto it = kUnits.find(unit);
  if (it == kUnits.end())
    return bad();
  double v = num * it->second;
  if (v < 0 || v > 1.8e19)
    return bad();
  return static_cast<uint64_t>(v);
}

Status ParseListenAddress(std::string_view s, std::string* host, uint16_t* port) {
  auto bad = [&](const std::string& why) {
    return InvalidArgumentError("invalid listen address \"" + std::string(s) + "\": " + why);
  };
  size_t colon = s.rfind(':');
  if (colon == std::string_view::npos)
    return bad("want host:port");
  std::string_view h = s.substr(0, colon);
  std::string_view p = s.substr(colon + 1);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']')
    h = h.substr(1, h.size() - 2);
  int v = -1;
  auto res = std::from_chars(p.data(), p.data() + p.size(), v);
  if (p.empty() || res.ec != std::errc() || res.ptr != p.data() + p.size() || v < 0 || v > 65535) {
    return bad("port must be a number in [0, 65535]");
  }
  *host = h.empty() ? "127.0.0.1" : std::string(h);
  *port = static_cast<uint16_t>(v);
  return Status::Ok();
}

}  // namespace sluice::server
