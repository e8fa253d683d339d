#include "agent/positions.h"

#include <algorithm>
#include <charconv>
#include <exception>

#include <spdlog/spdlog.h>
#include <yaml-cpp/yaml.h>

namespace sluice::agent {
namespace {

Result<uint64_t> ParseU64(const YAML::Node& n, const char* what) {
  if (!n || !n.IsScalar())
    return CorruptionError(std::string("missing ") + what);
  const std::string& s = n.Scalar();
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    return CorruptionError(std::string("bad ") + what + ": " + s);
  }
  return v;
}

}  // namespace

std::string Positions::Serialize(const std::vector<PositionEntry>& entries) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "positions" << YAML::Value << YAML::BeginMap;
  for (const PositionEntry& e : entries) {
    if (e.orphan) {
      continue;
    }
    out << YAML::Key << e.path << YAML::Value << YAML::DoubleQuoted << std::to_string(e.offset);
  }
  out << YAML::EndMap;
  out << YAML::Key << "files" << YAML::Value << YAML::BeginSeq;
  for (const PositionEntry& e : entries) {
    if (!e.has_identity())
      continue;
    out << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "path" << YAML::Value << e.path;
    out << YAML::Key << "dev" << YAML::Value << e.key.dev;
    out << YAML::Key << "inode" << YAML::Value << e.key.ino;
    out << YAML::Key << "fingerprint" << YAML::Value << e.fingerprint.ToString();
    out << YAML::Key << "offset" << YAML::Value << e.offset;
    if (e.orphan) {
      out << YAML::Key << "orphan" << YAML::Value << true;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

Result<std::vector<PositionEntry>> Positions::Parse(std::string_view text) {
  std::vector<PositionEntry> out;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
    if (root.IsNull())
      return out;  // an empty file
    if (!root.IsMap())
      return CorruptionError("not a YAML map");
    YAML::Node files = root["files"];
    if (files && !files.IsNull()) {
      if (!files.IsSequence())
        return CorruptionError("`files` is not a list");
      for (const auto& f : files) {
        if (!f.IsMap() || !f["path"] || !f["path"].IsScalar()) {
          return CorruptionError("file entry without a path");
        }
        PositionEntry e;
        e.path = f["path"].Scalar();
        SLUICE_ASSIGN_OR_RETURN(e.key.dev, ParseU64(f["dev"], "dev"));
        SLUICE_ASSIGN_OR_RETURN(e.key.ino, ParseU64(f["inode"], "inode"));
        SLUICE_ASSIGN_OR_RETURN(e.offset, ParseU64(f["offset"], "offset"));
        if (!f["fingerprint"] || !f["fingerprint"].IsScalar()) {
          return CorruptionError("file entry without a fingerprint");
        }
        Result<Fingerprint> fp = Fingerprint::Parse(f["fingerprint"].Scalar());
        if (!fp.ok())
          return CorruptionError(fp.status().message());
        e.fingerprint = *fp;
        e.orphan = f["orphan"] && f["orphan"].IsScalar() && f["orphan"].Scalar() == "true";
        out.push_back(std::move(e));
      }
      return out;
    }
    // Promtail's file: positions only.
    YAML::Node positions = root["positions"];
    if (positions && !positions.IsNull()) {
      if (!positions.IsMap())
        return CorruptionError("`positions` is not a map");
      for (const auto& kv : positions) {
        PositionEntry e;
        e.path = kv.first.Scalar();
        SLUICE_ASSIGN_OR_RETURN(e.offset, ParseU64(kv.second, "offset"));
        out.push_back(std::move(e));
      }
    }
  } catch (const std::exception& e) {
    return CorruptionError(std::string("invalid YAML: ") + e.what());
  }
  return out;
}

Result<std::unique_ptr<Positions>> Positions::Open(Options options, std::string* problem) {
  if (options.fs == nullptr)
    options.fs = FileSystem::Default();
  std::unique_ptr<Positions> p(new Positions(options));
  FileSystem* fs = options.fs;
  if (!options.read_only)
    SLUICE_RETURN_IF_ERROR(fs->CreateDirs(DirName(options.filename)));
  if (!fs->FileExists(options.filename))
    return p;
  Result<std::string> text = ReadFileToString(fs, options.filename);
  Result<std::vector<PositionEntry>> entries =
      text.ok() ? Parse(*text) : Result<std::vector<PositionEntry>>(text.status());
  if (!entries.ok()) {
    if (problem != nullptr) {
      *problem = "positions file " + options.filename + " is unusable (" +
                 entries.status().message() + "); starting without positions";
    }
    if (!options.read_only && text.ok()) {
      WriteFileAtomically(fs, options.filename + ".corrupt", *text).IgnoreError();
    }
    return p;
  }
  for (PositionEntry& e : *entries) {
    if (e.orphan) {
      std::string k = e.path + "#" + e.fingerprint.ToString();
      p->orphans_[k] = std::move(e);
    } else if (e.has_identity()) {
      p->by_key_[e.key] = std::move(e);
    } else {
      p->legacy_[e.path] = std::move(e);
    }
  }
  return p;
}

std::optional<PositionEntry> Positions::FindByKey(const FileKey& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_key_.find(key);
  if (it == by_key_.end())
    return std::nullopt;
  return it->second;
}

std::optional<PositionEntry> Positions::FindByPath(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = legacy_.find(path);
  if (it == legacy_.end())
    return std::nullopt;
  return it->second;
}

std::vector<PositionEntry> Positions::All() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<PositionEntry> out;
  for (const auto& [k, e] : by_key_)
    out.push_back(e);
  for (const auto& [k, e] : legacy_)
    out.push_back(e);
  return out;
}

void Positions::SetOrphan(PositionEntry entry) {
  std::lock_guard<std::mutex> lock(mu_);
  entry.orphan = true;
  std::string k = entry.path + "#" + entry.fingerprint.ToString();
  auto it = orphans_.find(k);
  if (it != orphans_.end() && it->second.offset == entry.offset) {
    return;
  }
  orphans_[k] = std::move(entry);
  dirty_ = true;
}

void Positions::RemoveOrphan(const PositionEntry& entry) {
  std::lock_guard<std::mutex> lock(mu_);
  if (orphans_.erase(entry.path + "#" + entry.fingerprint.ToString()) > 0) {
    dirty_ = true;
  }
}

std::vector<PositionEntry> Positions::Orphans() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<PositionEntry> out;
  for (const auto& [k, e] : orphans_) {
    out.push_back(e);
  }
  return out;
}

void Positions::Set(PositionEntry entry) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!entry.has_identity()) {
    legacy_[entry.path] = std::move(entry);
    dirty_ = true;
    return;
  }
  legacy_.erase(entry.path);  // superseded by an entry with identity
  auto it = by_key_.find(entry.key);
  if (it != by_key_.end() && it->second.offset == entry.offset && it->second.path == entry.path &&
      it->second.fingerprint == entry.fingerprint) {
    return;
  }
  by_key_[entry.key] = std::move(entry);
  dirty_ = true;
}

void Positions::Remove(const FileKey& key) {
  std::lock_guard<std::mutex> lock(mu_);
  if (by_key_.erase(key) > 0)
    dirty_ = true;
}

uint64_t Positions::writes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return writes_;
}

Status Positions::Save() {
  std::lock_guard<std::mutex> save_lock(save_mu_);
  std::vector<PositionEntry> entries;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!dirty_ || options_.read_only)
      return Status::Ok();
    dirty_ = false;
    for (const auto& [k, e] : by_key_)
      entries.push_back(e);
    for (const auto& [k, e] : legacy_)
      entries.push_back(e);
    for (const auto& [k, e] : orphans_)
      entries.push_back(e);
  }
  Status s = WriteFileAtomically(options_.fs, options_.filename, Serialize(entries));
  std::lock_guard<std::mutex> lock(mu_);
  if (s.ok()) {
    ++writes_;
    if (options_.writes_metric != nullptr)
      options_.writes_metric->Inc();
  } else {
    dirty_ = true;
  }
  return s;
}

PositionsWriter::PositionsWriter(Positions* positions, std::function<void(uint64_t)> on_written)
    : positions_(positions), on_written_(std::move(on_written)) {
  thread_ = std::thread([this] { Run(); });
}

PositionsWriter::~PositionsWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void PositionsWriter::Request(uint64_t seq) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    requested_ = true;
    seq_ = std::max(seq_, seq);
  }
  cv_.notify_all();
}

void PositionsWriter::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stop_ || requested_; });
    if (stop_)
      return;
    requested_ = false;
    const uint64_t seq = seq_;  // recorded before this request: Save() takes newer state
    lock.unlock();
    Status s = positions_->Save();
    if (!s.ok())
      spdlog::error("writing positions: {}", s.ToString());
    if (on_written_)
      on_written_(seq);
    lock.lock();
  }
}

}  // namespace sluice::agent
