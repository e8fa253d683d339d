#include "common/fault_file_system.h"

#include <atomic>
#include <map>
#include <mutex>

namespace sluice {

namespace {

// Durability state of one file written through the wrapper.
struct FileState {
  uint64_t synced_size = 0;
  bool entry_synced = false;  // its directory entry survives a crash
};

class FaultFs;

class FaultWritableFile final : public WritableFile {
 public:
  FaultWritableFile(FaultFs* fs, std::string path, std::unique_ptr<WritableFile> base)
      : fs_(fs), path_(std::move(path)), base_(std::move(base)) {}

  Status Append(std::string_view data) override;
  Status Flush() override;
  Status Sync() override;

  Status Close() override { return base_->Close(); }

  uint64_t Size() const override { return base_->Size(); }

 private:
  FaultFs* fs_;
  std::string path_;
  std::unique_ptr<WritableFile> base_;
};

class FaultFs final : public FaultInjectionFileSystem {
 public:
  explicit FaultFs(FileSystem* base) : base_(base) {}

  Status CheckActive() const {
    if (!active_.load()) {
      return IOError("fault injection: file system inactive");
    }
    return Status::Ok();
  }

  void OnSynced(const std::string& path, uint64_t size) {
    std::lock_guard<std::mutex> l(mu_);
    auto it = files_.find(path);
    if (it != files_.end()) {
      it->second.synced_size = size;
    }
  }

  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    SLUICE_RETURN_IF_ERROR(CheckActive());
    bool existed = base_->FileExists(path);
    SLUICE_ASSIGN_OR_RETURN(auto file, base_->NewWritableFile(path));
    {
      std::lock_guard<std::mutex> l(mu_);
      auto it = files_.find(path);
      // An entry that existed before tracking began is durable; a tracked one keeps its state.
      bool entry_synced = it == files_.end() ? existed : it->second.entry_synced;
      files_[path] = FileState{0, entry_synced};
    }
    return Wrap(path, std::move(file));
  }

  Result<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& path) override {
    SLUICE_RETURN_IF_ERROR(CheckActive());
    bool existed = base_->FileExists(path);
    SLUICE_ASSIGN_OR_RETURN(auto file, base_->NewAppendableFile(path));
    {
      std::lock_guard<std::mutex> l(mu_);
      if (files_.count(path) == 0) {
        files_[path] = FileState{file->Size(), existed};
      }
    }
    return Wrap(path, std::move(file));
  }

  Result<std::unique_ptr<SequentialFile>> NewSequentialFile(const std::string& path) override {
    return base_->NewSequentialFile(path);
  }

  Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& path) override {
    return base_->NewRandomAccessFile(path);
  }

  bool FileExists(const std::string& path) override { return base_->FileExists(path); }

  Result<uint64_t> GetFileSize(const std::string& path) override {
    return base_->GetFileSize(path);
  }

  Result<std::vector<std::string>> GetChildren(const std::string& dir) override {
    return base_->GetChildren(dir);
  }

  Status RemoveFile(const std::string& path) override {
    SLUICE_RETURN_IF_ERROR(CheckActive());
    SLUICE_RETURN_IF_ERROR(base_->RemoveFile(path));
    std::lock_guard<std::mutex> l(mu_);
    files_.erase(path);
    return Status::Ok();
  }

  Status CreateDirs(const std::string& dir) override {
    SLUICE_RETURN_IF_ERROR(CheckActive());
    return base_->CreateDirs(dir);
  }

  Status RemoveDir(const std::string& dir) override {
    SLUICE_RETURN_IF_ERROR(CheckActive());
    return base_->RemoveDir(dir);
  }

  Status RenameFile(const std::string& from, const std::string& to) override {
    SLUICE_RETURN_IF_ERROR(CheckActive());
    SLUICE_RETURN_IF_ERROR(base_->RenameFile(from, to));
    std::lock_guard<std::mutex> l(mu_);
    FileState st;
    if (auto it = files_.find(from); it != files_.end()) {
      st = it->second;
      files_.erase(it);
    } else {
      SLUICE_ASSIGN_OR_RETURN(st.synced_size, base_->GetFileSize(to));
    }
    st.entry_synced = false;
    files_[to] = st;
    return Status::Ok();
  }

  Status SyncDir(const std::string& dir) override {
    SLUICE_RETURN_IF_ERROR(CheckActive());
    SLUICE_RETURN_IF_ERROR(base_->SyncDir(dir));
    std::lock_guard<std::mutex> l(mu_);
    for (auto& [path, st] : files_) {
      if (DirName(path) == DirName(JoinPath(dir, "x"))) {
        st.entry_synced = true;  // parent == dir
      }
    }
    return Status::Ok();
  }

  Status DropUnsyncedData() override {
    std::map<std::string, FileState> files;
    {
      std::lock_guard<std::mutex> l(mu_);
      files.swap(files_);
    }
    for (const auto& [path, st] : files) {
      if (!base_->FileExists(path)) {
        continue;
      }
      if (!st.entry_synced) {
        SLUICE_RETURN_IF_ERROR(base_->RemoveFile(path));
        continue;
      }
      SLUICE_ASSIGN_OR_RETURN(uint64_t size, base_->GetFileSize(path));
      if (size <= st.synced_size) {
        continue;
      }
      SLUICE_ASSIGN_OR_RETURN(std::string data, ReadFileToString(base_, path));
      data.resize(st.synced_size);
      SLUICE_ASSIGN_OR_RETURN(auto file, base_->NewWritableFile(path));
      SLUICE_RETURN_IF_ERROR(file->Append(data));
      SLUICE_RETURN_IF_ERROR(file->Sync());
      SLUICE_RETURN_IF_ERROR(file->Close());
    }
    return Status::Ok();
  }

  void SetFilesystemActive(bool active) override { active_.store(active); }

 private:
  Result<std::unique_ptr<WritableFile>> Wrap(const std::string& path,
                                             std::unique_ptr<WritableFile> file) {
    return std::unique_ptr<WritableFile>(
        std::make_unique<FaultWritableFile>(this, path, std::move(file)));
  }

  FileSystem* base_;
  std::atomic<bool> active_{true};
  std::mutex mu_;
  std::map<std::string, FileState> files_;  // files written since the last DropUnsyncedData
};

Status FaultWritableFile::Append(std::string_view data) {
  SLUICE_RETURN_IF_ERROR(fs_->CheckActive());
  return base_->Append(data);
}

Status FaultWritableFile::Flush() {
  SLUICE_RETURN_IF_ERROR(fs_->CheckActive());
  return base_->Flush();
}

Status FaultWritableFile::Sync() {
  SLUICE_RETURN_IF_ERROR(fs_->CheckActive());
  SLUICE_RETURN_IF_ERROR(base_->Sync());
  fs_->OnSynced(path_, base_->Size());
  return Status::Ok();
}

}  // namespace

std::unique_ptr<FaultInjectionFileSystem> NewFaultInjectionFileSystem(FileSystem* base) {
  return std::make_unique<FaultFs>(base);
}

}  // namespace sluice
