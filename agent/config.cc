#include "agent/config.h"

#include <cctype>
#include <charconv>
#include <exception>

#include "agent/config_keys.h"
#include "agent/pipeline_builder.h"
#include "common/file_system.h"
#include "common/time_util.h"

namespace sluice::agent {
namespace {

const KeyRules kTopRules{
    {"server", "positions", "clients", "client", "scrape_configs", "target_config",
     "limits_config"},
    {"options", "tracing", "global", "wal"},
    {},
};

const KeyRules kServerRules{
    {"http_listen_port", "http_listen_address", "disable", "log_level",
     "graceful_shutdown_timeout"},
    {"grpc_listen_port",
     "grpc_listen_address",
     "grpc_listen_network",
     "http_listen_network",
     "http_listen_conn_limit",
     "grpc_listen_conn_limit",
     "register_instrumentation",
     "http_server_read_timeout",
     "http_server_write_timeout",
     "http_server_idle_timeout",
     "grpc_server_max_recv_msg_size",
     "grpc_server_max_send_msg_size",
     "grpc_server_max_concurrent_streams",
     "grpc_server_max_connection_idle",
     "grpc_server_max_connection_age",
     "grpc_server_max_connection_age_grace",
     "grpc_server_keepalive_time",
     "grpc_server_keepalive_timeout",
     "log_format",
     "log_source_ips_enabled",
     "log_source_ips_header",
     "log_source_ips_regex",
     "log_request_headers",
     "http_path_prefix",
     "external_url",
     "health_check_target",
     "profiling_enabled",
     "enable_runtime_reload",
     "http_tls_config",
     "grpc_tls_config"},
    {},
};

const KeyRules kPositionsRules{{"filename", "sync_period", "ignore_invalid_yaml"}, {}, {}};

const KeyRules kClientRules{
    {"url", "tenant_id", "batchwait", "batchsize", "backoff_config", "external_labels", "timeout",
     "basic_auth", "bearer_token", "headers", "drop_rate_limited_batches", "format",
     "max_buffered_bytes"},
    {"stream_lag_labels", "enable_http2", "follow_redirects"},
    {"proxy_url", "bearer_token_file", "authorization", "oauth2", "tls_config"},
};

const KeyRules kBackoffRules{{"min_period", "max_period", "max_retries"}, {}, {}};
const KeyRules kBasicAuthRules{{"username", "password"}, {}, {"password_file"}};

const KeyRules kScrapeRules{
    {"job_name", "static_configs", "relabel_configs", "pipeline_stages"},
    {},
    {"journal", "syslog", "gcplog", "windows_events", "kafka", "gelf", "cloudflare", "heroku_drain",
     "loki_push_api", "azure_event_hubs", "encoding", "decompression"},
    /*any_key_suffix_sd_configs_warns=*/true,
};

const KeyRules kStaticRules{{"targets", "labels"}, {}, {}};
const KeyRules kRelabelRules{
    {"source_labels", "separator", "regex", "modulus", "target_label", "replacement", "action"},
    {},
    {}};
const KeyRules kTargetConfigRules{{"sync_period"}, {"stdin"}, {}};
const KeyRules kLimitsRules{
    {"max_line_size", "max_line_size_truncate"},
    {"max_streams"},
    {"readline_rate_enabled", "readline_rate", "readline_burst", "readline_rate_drop"}};

Status Err(const YAML::Node& node, const std::string& message) {
  return InvalidArgumentError(LineOf(node) + ": " + message);
}

Result<std::string> Scalar(const YAML::Node& node, std::string_view key) {
  if (!node.IsScalar())
    return Err(node, "`" + std::string(key) + "` must be a scalar");
  return node.Scalar();
}

Result<int64_t> Int(const YAML::Node& node, std::string_view key) {
  SLUICE_ASSIGN_OR_RETURN(std::string s, Scalar(node, key));
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    return Err(node, "`" + std::string(key) + "`: not an integer: " + s);
  }
  return v;
}

Result<bool> Bool(const YAML::Node& node, std::string_view key) {
  SLUICE_ASSIGN_OR_RETURN(std::string s, Scalar(node, key));
  if (s == "true" || s == "True" || s == "TRUE" || s == "yes" || s == "on")
    return true;
  if (s == "false" || s == "False" || s == "FALSE" || s == "no" || s == "off")
    return false;
  return Err(node, "`" + std::string(key) + "`: not a boolean: " + s);
}

Result<int64_t> Duration(const YAML::Node& node, std::string_view key) {
  SLUICE_ASSIGN_OR_RETURN(std::string s, Scalar(node, key));
  Result<int64_t> d = ParseConfigDuration(s);
  if (!d.ok())
    return Err(node, "`" + std::string(key) + "`: " + d.status().message());
  return *d;
}

Result<std::map<std::string, std::string>> StringMap(const YAML::Node& node, std::string_view key) {
  std::map<std::string, std::string> out;
  if (node.IsNull())
    return out;
  if (!node.IsMap())
    return Err(node, "`" + std::string(key) + "` must be a map");
  for (const auto& kv : node) {
    SLUICE_ASSIGN_OR_RETURN(std::string v, Scalar(kv.second, kv.first.Scalar()));
    out[kv.first.Scalar()] = v;
  }
  return out;
}

Result<std::vector<std::string>> StringList(const YAML::Node& node, std::string_view key) {
  std::vector<std::string> out;
  if (node.IsNull())
    return out;
  if (!node.IsSequence())
    return Err(node, "`" + std::string(key) + "` must be a list");
  for (const auto& item : node) {
    SLUICE_ASSIGN_OR_RETURN(std::string v, Scalar(item, key));
    out.push_back(std::move(v));
  }
  return out;
}

Status ParseUrl(const YAML::Node& node, ClientConfig* c) {
  std::string_view url = c->url;
  constexpr std::string_view kHttp = "http://";
  if (url.rfind("https://", 0) == 0) {
    return Err(node, "https client urls are not supported by sluice-agent: " + c->url);
  }
  if (url.rfind(kHttp, 0) != 0)
    return Err(node, "client url must start with http://: " + c->url);
  url.remove_prefix(kHttp.size());
  size_t slash = url.find('/');
  std::string_view hostport = url.substr(0, slash);
  c->target = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
  size_t colon = hostport.rfind(':');
  if (colon != std::string_view::npos && hostport.find(']') == std::string_view::npos) {
    int port = 0;
    auto [p, ec] =
        std::from_chars(hostport.data() + colon + 1, hostport.data() + hostport.size(), port);
    if (ec != std::errc() || p != hostport.data() + hostport.size() || port <= 0 || port > 65535) {
      return Err(node, "bad port in client url: " + c->url);
    }
    c->port = static_cast<uint16_t>(port);
    hostport = hostport.substr(0, colon);
  }
  if (hostport.empty())
    return Err(node, "client url has no host: " + c->url);
  c->host = std::string(hostport);
  return Status::Ok();
}

std::string Base64(std::string_view in) {
  static const char* kChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6)
      out += kChars[(v >> s) & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    out += kChars[(v >> 18) & 63];
    out += kChars[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += kChars[(v >> 18) & 63];
    out += kChars[(v >> 12) & 63];
    out += kChars[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

Result<ClientConfig> ParseClient(const YAML::Node& node, const std::string& what,
                                 ConfigWarnings* warnings) {
  SLUICE_RETURN_IF_ERROR(CheckKeys(node, what, kClientRules, warnings));
  ClientConfig c;
  if (!node["url"])
    return Err(node, what + ": `url` is required");
  SLUICE_ASSIGN_OR_RETURN(c.url, Scalar(node["url"], "url"));
  SLUICE_RETURN_IF_ERROR(ParseUrl(node["url"], &c));
  if (auto n = node["tenant_id"]) {
    SLUICE_ASSIGN_OR_RETURN(c.tenant_id, Scalar(n, "tenant_id"));
  }
  if (auto n = node["batchwait"]) {
    SLUICE_ASSIGN_OR_RETURN(c.batchwait_ns, Duration(n, "batchwait"));
  }
  if (auto n = node["batchsize"]) {
    SLUICE_ASSIGN_OR_RETURN(std::string s, Scalar(n, "batchsize"));
    Result<int64_t> size = ParseByteSize(s);
    if (!size.ok() || *size <= 0)
      return Err(n, "`batchsize`: not a byte size: " + s);
    c.batchsize_bytes = *size;
  }
  if (auto n = node["max_buffered_bytes"]) {
    SLUICE_ASSIGN_OR_RETURN(std::string s, Scalar(n, "max_buffered_bytes"));
    Result<int64_t> size = ParseByteSize(s);
    if (!size.ok() || *size <= 0)
      return Err(n, "`max_buffered_bytes`: not a byte size: " + s);
    c.max_buffered_bytes = *size;
  }
  if (auto b = node["backoff_config"]) {
    SLUICE_RETURN_IF_ERROR(CheckKeys(b, what + ".backoff_config", kBackoffRules, warnings));
    if (auto n = b["min_period"]) {
      SLUICE_ASSIGN_OR_RETURN(c.backoff.min_period_ns, Duration(n, "min_period"));
    }
    if (auto n = b["max_period"]) {
      SLUICE_ASSIGN_OR_RETURN(c.backoff.max_period_ns, Duration(n, "max_period"));
    }
    if (auto n = b["max_retries"]) {
      SLUICE_ASSIGN_OR_RETURN(int64_t r, Int(n, "max_retries"));
      c.backoff.max_retries = static_cast<int>(r);
    }
  }
  if (auto n = node["external_labels"]) {
    SLUICE_ASSIGN_OR_RETURN(c.external_labels, StringMap(n, "external_labels"));
  }
  if (auto n = node["timeout"]) {
    SLUICE_ASSIGN_OR_RETURN(c.timeout_ns, Duration(n, "timeout"));
  }
  if (auto n = node["drop_rate_limited_batches"]) {
    SLUICE_ASSIGN_OR_RETURN(c.drop_rate_limited_batches, Bool(n, "drop_rate_limited_batches"));
  }
  if (auto n = node["format"]) {
    SLUICE_ASSIGN_OR_RETURN(std::string f, Scalar(n, "format"));
    if (f == "json") {
      c.format = PushFormat::kJson;
    } else if (f != "protobuf") {
      return Err(n, "`format` must be protobuf or json");
    }
  }
  if (auto n = node["headers"]) {
    SLUICE_ASSIGN_OR_RETURN(auto headers, StringMap(n, "headers"));
    for (auto& [k, v] : headers)
      c.headers.emplace_back(k, v);
  }
  if (auto b = node["basic_auth"]) {
    SLUICE_RETURN_IF_ERROR(CheckKeys(b, what + ".basic_auth", kBasicAuthRules, warnings));
    std::string user, pass;
    if (auto n = b["username"]) {
      SLUICE_ASSIGN_OR_RETURN(user, Scalar(n, "username"));
    }
    if (auto n = b["password"]) {
      SLUICE_ASSIGN_OR_RETURN(pass, Scalar(n, "password"));
    }
    c.headers.emplace_back("Authorization", "Basic " + Base64(user + ":" + pass));
  }
  if (auto n = node["bearer_token"]) {
    SLUICE_ASSIGN_OR_RETURN(std::string token, Scalar(n, "bearer_token"));
    c.headers.emplace_back("Authorization", "Bearer " + token);
  }
  return c;
}

Result<RelabelConfig> ParseRelabel(const YAML::Node& node, const std::string& what,
                                   ConfigWarnings* warnings) {
  SLUICE_RETURN_IF_ERROR(CheckKeys(node, what, kRelabelRules, warnings));
  RelabelAction action = RelabelAction::kReplace;
  if (auto n = node["action"]) {
    SLUICE_ASSIGN_OR_RETURN(std::string a, Scalar(n, "action"));
    Result<RelabelAction> parsed = ParseRelabelAction(a);
    if (!parsed.ok())
      return Err(n, parsed.status().message());
    action = *parsed;
  }
  std::vector<std::string> sources;
  if (auto n = node["source_labels"]) {
    SLUICE_ASSIGN_OR_RETURN(sources, StringList(n, "source_labels"));
  }
  std::string regex = "(.*)", target, replacement = "$1";
  if (auto n = node["regex"]) {
    SLUICE_ASSIGN_OR_RETURN(regex, Scalar(n, "regex"));
  }
  if (auto n = node["target_label"]) {
    SLUICE_ASSIGN_OR_RETURN(target, Scalar(n, "target_label"));
  }
  if (auto n = node["replacement"]) {
    SLUICE_ASSIGN_OR_RETURN(replacement, Scalar(n, "replacement"));
  }
  uint64_t modulus = 0;
  if (auto n = node["modulus"]) {
    SLUICE_ASSIGN_OR_RETURN(int64_t m, Int(n, "modulus"));
    modulus = static_cast<uint64_t>(m);
  }
  // hashmod is validated after `modulus` is set.
  Result<RelabelConfig> rc = RelabelConfig::Make(
      action == RelabelAction::kHashMod ? RelabelAction::kReplace : action, std::move(sources),
      regex, action == RelabelAction::kHashMod ? "x" : target, replacement);
  if (!rc.ok())
    return Err(node, what + ": " + rc.status().message());
  rc->action = action;
  rc->target_label = target;
  rc->modulus = modulus;
  if (auto n = node["separator"]) {
    SLUICE_ASSIGN_OR_RETURN(rc->separator, Scalar(n, "separator"));
  }
  Status valid = rc->Validate();
  if (!valid.ok())
    return Err(node, what + ": " + valid.message());
  return std::move(*rc);
}

Result<ScrapeConfig> ParseScrape(const YAML::Node& node, const std::string& what,
                                 const std::string& base_dir, ConfigWarnings* warnings) {
  SLUICE_RETURN_IF_ERROR(CheckKeys(node, what, kScrapeRules, warnings));
  ScrapeConfig sc;
  if (!node["job_name"])
    return Err(node, what + ": `job_name` is required");
  SLUICE_ASSIGN_OR_RETURN(sc.job_name, Scalar(node["job_name"], "job_name"));
  if (auto list = node["static_configs"]) {
    if (!list.IsSequence())
      return Err(list, "`static_configs` must be a list");
    for (size_t i = 0; i < list.size(); ++i) {
      std::string w = what + ".static_configs[" + std::to_string(i) + "]";
      SLUICE_RETURN_IF_ERROR(CheckKeys(list[i], w, kStaticRules, warnings));
      StaticConfig st;
      if (auto n = list[i]["targets"]) {
        SLUICE_RETURN_IF_ERROR(StringList(n, "targets").status());
      }
      if (auto n = list[i]["labels"]) {
        SLUICE_ASSIGN_OR_RETURN(st.labels, StringMap(n, "labels"));
      }
      sc.static_configs.push_back(std::move(st));
    }
  }
  if (auto list = node["relabel_configs"]) {
    if (!list.IsSequence())
      return Err(list, "`relabel_configs` must be a list");
    for (size_t i = 0; i < list.size(); ++i) {
      SLUICE_ASSIGN_OR_RETURN(
          RelabelConfig rc,
          ParseRelabel(list[i], what + ".relabel_configs[" + std::to_string(i) + "]", warnings));
      sc.relabel_configs.push_back(std::move(rc));
    }
  }
  if (auto stages = node["pipeline_stages"]) {
    sc.pipeline_stages = stages;
    sc.pipeline_stages_line = stages.Mark().line + 1;
    PipelineBuildOptions options;
    options.base_dir = base_dir;
    options.job_name = sc.job_name;
    options.warnings = warnings;
    SLUICE_RETURN_IF_ERROR(BuildPipeline(stages, options).status());
  }
  return sc;
}

Status ParseTop(const YAML::Node& root, AgentConfig* config, ConfigWarnings* warnings) {
  const std::string base_dir = DirName(config->source_path);
  SLUICE_RETURN_IF_ERROR(CheckKeys(root, "the config file", kTopRules, warnings));
  if (auto s = root["server"]) {
    SLUICE_RETURN_IF_ERROR(CheckKeys(s, "server", kServerRules, warnings));
    if (auto n = s["http_listen_port"]) {
      SLUICE_ASSIGN_OR_RETURN(int64_t port, Int(n, "http_listen_port"));
      if (port < 0 || port > 65535)
        return Err(n, "`http_listen_port` out of range");
      config->server.http_listen_port = static_cast<int>(port);
    }
    if (auto n = s["http_listen_address"]) {
      SLUICE_ASSIGN_OR_RETURN(config->server.http_listen_address, Scalar(n, "http_listen_address"));
    }
    if (auto n = s["disable"]) {
      SLUICE_ASSIGN_OR_RETURN(config->server.disable, Bool(n, "disable"));
    }
    if (auto n = s["log_level"]) {
      SLUICE_ASSIGN_OR_RETURN(config->server.log_level, Scalar(n, "log_level"));
    }
    if (auto n = s["graceful_shutdown_timeout"]) {
      SLUICE_ASSIGN_OR_RETURN(config->server.graceful_shutdown_timeout_ns,
                              Duration(n, "graceful_shutdown_timeout"));
    }
  }
  if (auto p = root["positions"]) {
    SLUICE_RETURN_IF_ERROR(CheckKeys(p, "positions", kPositionsRules, warnings));
    if (auto n = p["filename"]) {
      SLUICE_ASSIGN_OR_RETURN(config->positions.filename, Scalar(n, "filename"));
    }
    if (auto n = p["sync_period"]) {
      SLUICE_ASSIGN_OR_RETURN(config->positions.sync_period_ns, Duration(n, "sync_period"));
    }
    if (auto n = p["ignore_invalid_yaml"]) {
      SLUICE_RETURN_IF_ERROR(Bool(n, "ignore_invalid_yaml").status());
    }
  }
  if (auto c = root["client"]) {
    SLUICE_ASSIGN_OR_RETURN(ClientConfig client, ParseClient(c, "client", warnings));
    config->clients.push_back(std::move(client));
  }
  if (auto list = root["clients"]) {
    if (!list.IsSequence())
      return Err(list, "`clients` must be a list");
    for (size_t i = 0; i < list.size(); ++i) {
      SLUICE_ASSIGN_OR_RETURN(ClientConfig client,
                              ParseClient(list[i], "clients[" + std::to_string(i) + "]", warnings));
      config->clients.push_back(std::move(client));
    }
  }
  if (auto list = root["scrape_configs"]) {
    if (!list.IsSequence())
      return Err(list, "`scrape_configs` must be a list");
    for (size_t i = 0; i < list.size(); ++i) {
      SLUICE_ASSIGN_OR_RETURN(
          ScrapeConfig sc,
          ParseScrape(list[i], "scrape_configs[" + std::to_string(i) + "]", base_dir, warnings));
      config->scrape_configs.push_back(std::move(sc));
    }
  }
  if (auto t = root["target_config"]) {
    SLUICE_RETURN_IF_ERROR(CheckKeys(t, "target_config", kTargetConfigRules, warnings));
    if (auto n = t["sync_period"]) {
      SLUICE_ASSIGN_OR_RETURN(config->target_sync_period_ns, Duration(n, "sync_period"));
    }
  }
  if (auto l = root["limits_config"]) {
    SLUICE_RETURN_IF_ERROR(CheckKeys(l, "limits_config", kLimitsRules, warnings));
    if (auto n = l["max_line_size"]) {
      SLUICE_ASSIGN_OR_RETURN(std::string s, Scalar(n, "max_line_size"));
      Result<int64_t> size = ParseByteSize(s);
      if (!size.ok() || *size < 0)
        return Err(n, "`max_line_size`: not a byte size: " + s);
      config->limits.max_line_size = *size;
    }
    if (auto n = l["max_line_size_truncate"]) {
      SLUICE_ASSIGN_OR_RETURN(config->limits.max_line_size_truncate,
                              Bool(n, "max_line_size_truncate"));
    }
  }
  if (config->clients.empty()) {
    return InvalidArgumentError("the config file has no `clients`: nowhere to ship to");
  }
  return Status::Ok();
}

}  // namespace

Result<int64_t> ParseConfigDuration(std::string_view text) {
  if (text.empty())
    return InvalidArgumentError("empty duration");
  if (Result<int64_t> go = ParseGoDuration(text); go.ok())
    return *go;
  if (Result<int64_t> prom = ParsePromDuration(text); prom.ok())
    return *prom;
  if (Result<int64_t> secs = ParseDurationOrSeconds(text); secs.ok())
    return *secs;
  return InvalidArgumentError("not a duration: " + std::string(text));
}

Result<int64_t> ParseByteSize(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
    ++i;
  if (i == 0 || i > 18)
    return InvalidArgumentError("not a byte size: " + std::string(text));
  int64_t v = 0;
  std::from_chars(text.data(), text.data() + i, v);
  std::string unit(text.substr(i));
  for (char& c : unit)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!unit.empty() && unit.front() == ' ')
    unit.erase(0, 1);
  int64_t mult = 1;
  if (unit.empty() || unit == "b") {
    mult = 1;
  } else if (unit == "k" || unit == "kb" || unit == "kib") {
    mult = 1024;
  } else if (unit == "m" || unit == "mb" || unit == "mib") {
    mult = 1024 * 1024;
  } else if (unit == "g" || unit == "gb" || unit == "gib") {
    mult = 1024LL * 1024 * 1024;
  } else {
    return InvalidArgumentError("not a byte size: " + std::string(text));
  }
  if (v > (int64_t{1} << 50))
    return InvalidArgumentError("byte size too large");
  return v * mult;
}

Result<AgentConfig> LoadConfig(std::string_view yaml, std::string_view source_path,
                               ConfigWarnings* warnings) {
  AgentConfig config;
  config.source_path = std::string(source_path);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError("line " + std::to_string(e.mark.line + 1) +
                                ": invalid YAML: " + e.msg);
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string("invalid YAML: ") + e.what());
  }
  if (!root.IsMap())
    return InvalidArgumentError("the config file must be a YAML map");
  try {
    SLUICE_RETURN_IF_ERROR(ParseTop(root, &config, warnings));
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError("line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string("config: ") + e.what());
  }
  return config;
}

Result<AgentConfig> LoadConfigFile(const std::string& path, ConfigWarnings* warnings) {
  Result<std::string> text = ReadFileToString(FileSystem::Default(), path);
  if (!text.ok())
    return text.status().WithPrefix("reading config " + path);
  Result<AgentConfig> config = LoadConfig(*text, path, warnings);
  if (!config.ok())
    return config.status().WithPrefix(path);
  return config;
}

}  // namespace sluice::agent
