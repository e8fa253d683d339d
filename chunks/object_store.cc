#include "chunks/object_store.h"

#include <algorithm>
#include <mutex>
#include <set>

#include "common/file_system.h"

namespace sluice::chunks {

namespace {

constexpr std::string_view kTmpSuffix = ".tmp";

Status CheckKey(std::string_view key) {
  if (key.empty() || key.front() == '/' || key.back() == '/' ||
      (key.size() >= kTmpSuffix.size() &&
       key.substr(key.size() - kTmpSuffix.size()) == kTmpSuffix)) {
    return InvalidArgumentError("object store: invalid key '" + std::string(key) + "'");
  }
  size_t pos = 0;
  while (pos <= key.size()) {
    size_t slash = key.find('/', pos);
    if (slash == std::string_view::npos) {
      slash = key.size();
    }
    std::string_view seg = key.substr(pos, slash - pos);
    if (seg.empty() || seg == "." || seg == "..") {
      return InvalidArgumentError("object store: invalid key '" + std::string(key) + "'");
    }
    pos = slash + 1;
  }
  return Status::Ok();
}

class LocalObjectStore final : public ObjectStore {
 public:
  LocalObjectStore(FileSystem* fs, std::string root) : fs_(fs), root_(std::move(root)) {}

  Status Put(const std::string& key, std::string_view data) override {
    SLUICE_RETURN_IF_ERROR(CheckKey(key));
    std::string path = JoinPath(root_, key);
    SLUICE_RETURN_IF_ERROR(EnsureDir(DirName(path)));
    return WriteFileAtomically(fs_, path, data);
  }

  Result<std::string> Get(const std::string& key) override {
    SLUICE_RETURN_IF_ERROR(CheckKey(key));
    std::string path = JoinPath(root_, key);
    if (!fs_->FileExists(path)) {
      return NotFoundError("object store: no object '" + key + "'");
    }
    return ReadFileToString(fs_, path);
  }

  Result<std::vector<std::string>> List(std::string_view prefix) override {
    std::vector<std::string> out;
    // Walk only below the directory part of the prefix.
    size_t slash = prefix.rfind('/');
    std::string dir = slash == std::string_view::npos ? "" : std::string(prefix.substr(0, slash));
    if (!dir.empty() && !CheckKey(dir).ok()) {
      return out;
    }
    SLUICE_RETURN_IF_ERROR(Walk(dir, prefix, &out));
    std::sort(out.begin(), out.end());
    return out;
  }

  Status Delete(const std::string& key) override {
    SLUICE_RETURN_IF_ERROR(CheckKey(key));
    std::string path = JoinPath(root_, key);
    if (!fs_->FileExists(path)) {
      return Status::Ok();
    }
    SLUICE_RETURN_IF_ERROR(fs_->RemoveFile(path));
    return fs_->SyncDir(DirName(path));
  }

 private:
  // Creates `dir` and makes the new directory entries durable, once per process.
  Status EnsureDir(const std::string& dir) {
    {
      std::lock_guard<std::mutex> l(mu_);
      if (known_dirs_.count(dir)) {
        return Status::Ok();
      }
    }
    std::vector<std::string> missing;
    for (std::string d = dir; d.size() > root_.size() && !fs_->FileExists(d); d = DirName(d)) {
      missing.push_back(d);
    }
    SLUICE_RETURN_IF_ERROR(fs_->CreateDirs(dir));
    for (const std::string& d : missing) {
      SLUICE_RETURN_IF_ERROR(fs_->SyncDir(DirName(d)));
    }
    std::lock_guard<std::mutex> l(mu_);
    known_dirs_.insert(dir);
    return Status::Ok();
  }

  Status Walk(const std::string& rel_dir, std::string_view prefix, std::vector<std::string>* out) {
    std::string abs = rel_dir.empty() ? root_ : JoinPath(root_, rel_dir);
    if (!fs_->FileExists(abs)) {
      return Status::Ok();
    }
    SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> children, fs_->GetChildren(abs));
    for (const std::string& name : children) {
      std::string rel = rel_dir.empty() ? name : rel_dir + "/" + name;
      // Skip subtrees that cannot hold keys with this prefix.
      size_t n = std::min(rel.size(), prefix.size());
      if (rel.compare(0, n, prefix, 0, n) != 0) {
        continue;
      }
      if (fs_->GetChildren(JoinPath(root_, rel)).ok()) {
        SLUICE_RETURN_IF_ERROR(Walk(rel, prefix, out));
      } else if (rel.size() >= prefix.size() && !rel.ends_with(kTmpSuffix)) {
        out->push_back(std::move(rel));
      }
    }
    return Status::Ok();
  }

  FileSystem* fs_;
  std::string root_;
  std::mutex mu_;
  std::set<std::string> known_dirs_;
};

}  // namespace

std::unique_ptr<ObjectStore> NewLocalObjectStore(FileSystem* fs, std::string root_dir) {
  return std::make_unique<LocalObjectStore>(fs, std::move(root_dir));
}

}  // namespace sluice::chunks
