#include "common/mem_file_system.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <set>

namespace sluice {

namespace {

// Contents of one file; shared by the directory map and open handles (a removed file stays
// readable through handles opened before, as on POSIX).
struct FileData {
  std::mutex mu;
  std::string bytes;
};

std::string Normalize(std::string_view path) {
  std::string p(path);
  while (p.size() > 1 && p.back() == '/') {
    p.pop_back();
  }
  return p;
}

class MemWritableFile final : public WritableFile {
 public:
  explicit MemWritableFile(std::shared_ptr<FileData> data) : data_(std::move(data)) {
    std::lock_guard<std::mutex> l(data_->mu);
    size_ = data_->bytes.size();
  }

  Status Append(std::string_view data) override {
    std::lock_guard<std::mutex> l(data_->mu);
    data_->bytes.append(data);
    size_ += data.size();
    return Status::Ok();
  }

  Status Flush() override { return Status::Ok(); }

  Status Sync() override { return Status::Ok(); }

  Status Close() override { return Status::Ok(); }

  uint64_t Size() const override { return size_; }

 private:
  std::shared_ptr<FileData> data_;
  uint64_t size_ = 0;
};

class MemSequentialFile final : public SequentialFile {
 public:
  explicit MemSequentialFile(std::shared_ptr<FileData> data) : data_(std::move(data)) {}

  Status Read(size_t n, std::string_view* result, char* scratch) override {
    std::lock_guard<std::mutex> l(data_->mu);
    size_t avail = pos_ < data_->bytes.size() ? data_->bytes.size() - pos_ : 0;
    size_t k = std::min(n, avail);
    if (k > 0) {
      std::memcpy(scratch, data_->bytes.data() + pos_, k);
    }
    pos_ += k;
    *result = std::string_view(scratch, k);
    return Status::Ok();
  }

  Status Skip(uint64_t n) override {
    pos_ += n;
    return Status::Ok();
  }

 private:
  std::shared_ptr<FileData> data_;
  uint64_t pos_ = 0;
};

class MemRandomAccessFile final : public RandomAccessFile {
 public:
  explicit MemRandomAccessFile(std::shared_ptr<FileData> data) : data_(std::move(data)) {}

  Status Read(uint64_t offset, size_t n, std::string_view* result, char* scratch) const override {
    std::lock_guard<std::mutex> l(data_->mu);
    size_t avail = offset < data_->bytes.size() ? data_->bytes.size() - offset : 0;
    size_t k = std::min(n, avail);
    if (k > 0) {
      std::memcpy(scratch, data_->bytes.data() + offset, k);
    }
    *result = std::string_view(scratch, k);
    return Status::Ok();
  }

  uint64_t Size() const override {
    std::lock_guard<std::mutex> l(data_->mu);
    return data_->bytes.size();
  }

 private:
  std::shared_ptr<FileData> data_;
};

class MemFileSystem final : public FileSystem {
 public:
  MemFileSystem() { dirs_.insert("/"); }

  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    std::lock_guard<std::mutex> l(mu_);
    SLUICE_RETURN_IF_ERROR(CheckParent(path));
    auto data = std::make_shared<FileData>();
    files_[Normalize(path)] = data;
    return std::unique_ptr<WritableFile>(std::make_unique<MemWritableFile>(std::move(data)));
  }

  Result<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& path) override {
    std::lock_guard<std::mutex> l(mu_);
    SLUICE_RETURN_IF_ERROR(CheckParent(path));
    auto& slot = files_[Normalize(path)];
    if (!slot) {
      slot = std::make_shared<FileData>();
    }
    return std::unique_ptr<WritableFile>(std::make_unique<MemWritableFile>(slot));
  }

  Result<std::unique_ptr<SequentialFile>> NewSequentialFile(const std::string& path) override {
    SLUICE_ASSIGN_OR_RETURN(auto data, Find(path));
    return std::unique_ptr<SequentialFile>(std::make_unique<MemSequentialFile>(std::move(data)));
  }

  Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& path) override {
    SLUICE_ASSIGN_OR_RETURN(auto data, Find(path));
    return std::unique_ptr<RandomAccessFile>(
        std::make_unique<MemRandomAccessFile>(std::move(data)));
  }

  bool FileExists(const std::string& path) override {
    std::lock_guard<std::mutex> l(mu_);
    std::string p = Normalize(path);
    return files_.count(p) > 0 || dirs_.count(p) > 0;
  }

  Result<uint64_t> GetFileSize(const std::string& path) override {
    SLUICE_ASSIGN_OR_RETURN(auto data, Find(path));
    std::lock_guard<std::mutex> l(data->mu);
    return static_cast<uint64_t>(data->bytes.size());
  }

  Result<std::vector<std::string>> GetChildren(const std::string& dir) override {
    std::lock_guard<std::mutex> l(mu_);
    std::string d = Normalize(dir);
    if (dirs_.count(d) == 0) {
      return IOError("opendir " + dir + ": No such file or directory");
    }
    std::string prefix = d == "/" ? d : d + "/";
    std::set<std::string> out;
    auto collect = [&](const std::string& path) {
      if (path.size() <= prefix.size() || path.compare(0, prefix.size(), prefix) != 0) {
        return;
      }
      std::string rest = path.substr(prefix.size());
      out.insert(rest.substr(0, rest.find('/')));
    };
    for (const auto& [path, data] : files_) {
      collect(path);
    }
    for (const auto& path : dirs_) {
      collect(path);
    }
    return std::vector<std::string>(out.begin(), out.end());
  }

  Status RemoveFile(const std::string& path) override {
    std::lock_guard<std::mutex> l(mu_);
    if (files_.erase(Normalize(path)) == 0) {
      return IOError("unlink " + path + ": not found");
    }
    return Status::Ok();
  }

  Status CreateDirs(const std::string& dir) override {
    std::lock_guard<std::mutex> l(mu_);
    std::string d = Normalize(dir);
    while (!d.empty() && d != "." && d != "/") {
      if (files_.count(d)) {
        return IOError("not a directory: " + d);
      }
      dirs_.insert(d);
      d = DirName(d);
    }
    return Status::Ok();
  }

  Status RemoveDir(const std::string& dir) override {
    std::lock_guard<std::mutex> l(mu_);
    if (dirs_.erase(Normalize(dir)) == 0) {
      return IOError("rmdir " + dir + ": not found");
    }
    return Status::Ok();
  }

  Status RenameFile(const std::string& from, const std::string& to) override {
    std::lock_guard<std::mutex> l(mu_);
    auto it = files_.find(Normalize(from));
    if (it == files_.end()) {
      return IOError("rename " + from + ": not found");
    }
    SLUICE_RETURN_IF_ERROR(CheckParent(to));
    auto data = it->second;
    files_.erase(it);
    files_[Normalize(to)] = std::move(data);
    return Status::Ok();
  }

  Status SyncDir(const std::string& dir) override {
    std::lock_guard<std::mutex> l(mu_);
    if (dirs_.count(Normalize(dir)) == 0) {
      return IOError("open " + dir + ": not found");
    }
    return Status::Ok();
  }

 private:
  Status CheckParent(const std::string& path) {
    std::string parent = DirName(Normalize(path));
    if (parent != "." && dirs_.count(parent) == 0) {
      return IOError("open " + path + ": No such file or directory");
    }
    return Status::Ok();
  }

  Result<std::shared_ptr<FileData>> Find(const std::string& path) {
    std::lock_guard<std::mutex> l(mu_);
    auto it = files_.find(Normalize(path));
    if (it == files_.end()) {
      return IOError("open " + path + ": No such file or directory");
    }
    return it->second;
  }

  std::mutex mu_;
  std::map<std::string, std::shared_ptr<FileData>> files_;
  std::set<std::string> dirs_;
};

}  // namespace

std::unique_ptr<FileSystem> NewMemFileSystem() {
  return std::make_unique<MemFileSystem>();
}

}  // namespace sluice
