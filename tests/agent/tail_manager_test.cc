// Tailing with real files in a temporary directory: discovery, rotation by rename,
// copytruncate, deletion while unread, positions across restarts, memory bound.
#include "agent/tail_manager.h"

#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent_test_util.h"
#include "common/clock.h"

namespace sluice::agent {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

// Lines `tag from` .. `tag to-1`, 64 bytes each with the newline: 16 of them fill a fingerprint.
std::vector<std::string> Numbered(const std::string& tag, int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) {
    std::string line = tag + " " + std::to_string(i) + " ";
    line.resize(63, '.');
    out.push_back(line);
  }
  return out;
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines)
    out += l + "\n";
  return out;
}

std::vector<std::string> Concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const std::vector<std::string> kRead = Numbered("old", 0, 30);
const std::vector<std::string> kUnread = Numbered("old", 30, 40);

class TailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pipeline_.pipeline = std::make_unique<Pipeline>();
    job_.job = "test";
    job_.pipeline = &pipeline_;
    job_.metrics = &metrics_;
    job_.sink = &sink_;
    job_.clock = &clock_;
    job_.invalid_log = &log_;
    OpenPositions();
  }

  void OpenPositions() {
    std::string problem;
    positions_ =
        std::move(*Positions::Open({nullptr, dir_.File("positions.yaml"), false}, &problem));
  }

  std::unique_ptr<TailManager> Start(const std::string& glob, LabelMap labels = {},
                                     const std::vector<RelabelConfig>* relabel = nullptr,
                                     const std::string& exclude = "") {
    TailManagerOptions o;
    TargetSpec t;
    t.job = "test";
    t.include = glob;
    t.exclude = exclude;
    t.labels = std::move(labels);
    t.relabel = relabel;
    t.context = &job_;
    o.targets.push_back(t);
    o.positions = positions_.get();
    o.metrics = &metrics_;
    o.clock = &clock_;
    o.sink = manager_sink_ != nullptr ? manager_sink_ : &sink_;
    o.rescan_period_ns = rescan_ns_;
    o.use_inotify = use_inotify_;
    o.positions_sync_ns = sync_ns_;
    o.acks = acks_;
    o.positions_path = dir_.File("positions.yaml");
    auto m = std::make_unique<TailManager>(std::move(o));
    EXPECT_TRUE(m->Init().ok());
    return m;
  }

  // The agent reads `content` while the server is down: entries go to `unacked_`, never
  // acknowledged.
  std::unique_ptr<TailManager> StartUnacknowledged(const std::string& path,
                                                   const std::string& content) {
    job_.sink = &unacked_;
    testing::WriteFile(path, content);
    auto m = Start(path);
    Pump(m.get());
    return m;
  }

  // After a kill -9: a new agent on the positions file as it was, the server acknowledging.
  std::unique_ptr<TailManager> RestartAfterCrash(const std::string& path) {
    job_.sink = &sink_;
    sink_.room = true;
    OpenPositions();
    auto m = Start(path);
    Pump(m.get());
    return m;
  }

  // logrotate's copytruncate (to <path>.1, the writer paused), then the writer goes on.
  static void CopyTruncate(const std::string& path, const std::string& next) {
    std::filesystem::copy_file(path, path + ".1");
    std::filesystem::resize_file(path, 0);
    testing::AppendFile(path, next);
  }

  // The agent reads kRead (30 lines of old content) of `path` through `glob`, then the server
  // goes down and kUnread (10 more) are written: read, not yet.
  std::unique_ptr<TailManager> StartBehind(const std::string& path, const std::string& glob) {
    testing::WriteFile(path, Joined(kRead));
    auto m = Start(glob);
    Pump(m.get());
    EXPECT_EQ(sink_.Lines(), kRead);
    sink_.room = false;
    testing::AppendFile(path, Joined(kUnread));
    Pump(m.get());
    return m;
  }

  // Runs a few iterations, moving the clock past every period (poll, rescan, grace, sync).
  void Pump(TailManager* m, int rounds = 4) {
    for (int i = 0; i < rounds; ++i) {
      m->RunOnce(0);
      clock_.Advance(1'100'000'000);
    }
  }

  testing::TempDir dir_;
  ManualClock clock_{1'700'000'000'000'000'000};
  Registry registry_;
  AgentMetrics metrics_{&registry_};
  testing::CollectingSink sink_;
  testing::CollectingSink unacked_{/*auto_ack=*/false};
  RateLimitedLog log_;
  CompiledPipeline pipeline_;
  JobContext job_;
  std::unique_ptr<Positions> positions_;
  int64_t sync_ns_ = 1'000'000'000;
  int64_t rescan_ns_ = 1'000'000'000;
  bool use_inotify_ = true;
  DurableAcks* acks_ = nullptr;
  EntrySink* manager_sink_ = nullptr;  // the TailManager's room check; null: sink_
};

// Counts the bytes it holds (ShipEntry::Bytes) and has room below `limit`, as a Shipper does.
class LimitedSink final : public EntrySink {
 public:
  explicit LimitedSink(size_t limit) : limit_(limit) {}

  bool HasRoom() const override { return held_ < limit_; }

  int clients() const override { return 1; }

  void Push(ShipEntry entry) override {
    held_ += entry.Bytes();
    max_held_ = std::max(max_held_, held_);
    lines_.push_back(entry.line);
    entry.ack.Ack();
  }

  void Release() { held_ = 0; }

  size_t limit_;
  size_t held_ = 0;
  size_t max_held_ = 0;
  std::vector<std::string> lines_;
};

TEST_F(TailTest, ReadsNewFilesAndWaitsForWholeLines) {
  testing::WriteFile(dir_.File("a.log"), "one\ntwo\nthr");
  auto m = Start(dir_.path() + "/*.log");
  Pump(m.get());
  EXPECT_THAT(sink_.Lines(), ElementsAre("one", "two"));
  testing::AppendFile(dir_.File("a.log"), "ee\n");
  testing::WriteFile(dir_.File("b.log"), "bee\n");
  testing::WriteFile(dir_.File("b.txt"), "not matched\n");
  Pump(m.get());
  // Files are read in inode order: "bee" may come before "three".
  EXPECT_THAT(sink_.Lines(), ::testing::UnorderedElementsAre("one", "two", "three", "bee"));
  for (const ShipEntry& e : sink_.Entries()) {
    EXPECT_EQ(e.labels.Get("filename"), dir_.File(e.line == "bee" ? "b.log" : "a.log"));
  }
  EXPECT_EQ(metrics_.read_lines->Value({"test"}), 4);
}

TEST_F(TailTest, InotifyPicksUpNewFilesWithoutRescanTimer) {
  testing::WriteFile(dir_.File("a.log"), "");
  auto m = Start(dir_.path() + "/*.log");
  m->RunOnce(0);
  testing::WriteFile(dir_.File("new.log"), "fresh\n");
  // No clock movement: only the inotify event can trigger the rescan and the read.
  for (int i = 0; i < 50 && sink_.Lines().empty(); ++i)
    m->RunOnce(100'000'000);
  EXPECT_THAT(sink_.Lines(), ElementsAre("fresh"));
}

TEST_F(TailTest, RotationByRenameDrainsTheOldFile) {
  const std::string path = dir_.File("app.log");
  testing::WriteFile(path, "1\n2\n");
  auto m = Start(path);
  Pump(m.get());
  testing::AppendFile(path, "3\n4\n");  // written before the rotation, not yet read
  std::filesystem::rename(path, dir_.File("app.log.1"));
  testing::WriteFile(path, "5\n");
  testing::AppendFile(dir_.File("app.log.1"), "4b\n");  // a late write to the rotated file
  Pump(m.get(), 6);
  EXPECT_THAT(sink_.Lines(), ::testing::UnorderedElementsAre("1", "2", "3", "4", "4b", "5"));
  std::vector<std::string> old_lines;
  for (const ShipEntry& e : sink_.Entries()) {
    if (e.line != "5")
      old_lines.push_back(e.line);
  }
  EXPECT_THAT(old_lines, ElementsAre("1", "2", "3", "4", "4b"));  // in file order
  EXPECT_EQ(m->active_files(), 1u);                               // the rotated file was let go
}

TEST_F(TailTest, CopyTruncateIsReadFromTheStart) {
  const std::string path = dir_.File("app.log");
  testing::WriteFile(path, "first line of old content\n");
  auto m = Start(path);
  Pump(m.get());
  // copytruncate: copy away, truncate in place, the writer continues at offset 0.
  CopyTruncate(path, "after\n");
  Pump(m.get());
  EXPECT_THAT(sink_.Lines(), ElementsAre("first line of old content", "after"));
}

TEST_F(TailTest, ReplacedInPlaceWithLongerContentIsDetectedByFingerprint) {
  const std::string path = dir_.File("app.log");
  testing::WriteFile(path, "aaaa\n");
  auto m = Start(path);
  Pump(m.get());
  // Truncated and refilled past the old offset before the agent looked again.
  testing::WriteFile(path, "bbbbbbbbbbbb\ncccc\n");
  Pump(m.get());
  EXPECT_THAT(sink_.Lines(), ElementsAre("aaaa", "bbbbbbbbbbbb", "cccc"));
}

TEST_F(TailTest, DeletedWhileUnreadIsDrained) {
  const std::string path = dir_.File("app.log");
  testing::WriteFile(path, "1\n");
  auto m = Start(path);
  Pump(m.get());
  testing::AppendFile(path, "2\n3\n");
  std::filesystem::remove(path);
  Pump(m.get());
  EXPECT_THAT(sink_.Lines(), ElementsAre("1", "2", "3"));
  EXPECT_EQ(m->active_files(), 0u);
}

TEST_F(TailTest, RestartResumesAtTheAcknowledgedOffset) {
  const std::string path = dir_.File("app.log");
  testing::WriteFile(path, "1\n2\n");
  {
    auto m = Start(path);
    Pump(m.get());
    ASSERT_TRUE(m->SyncPositions().ok());
  }
  testing::AppendFile(path, "3\n");
  OpenPositions();
  auto m = Start(path);
  Pump(m.get());
  EXPECT_THAT(sink_.Lines(), ElementsAre("1", "2", "3"));
}

TEST_F(TailTest, UnacknowledgedLinesAreSentAgainAfterRestart) {
  testing::CollectingSink unacked(/*auto_ack=*/false);
  job_.sink = &unacked;
  const std::string path = dir_.File("app.log");
  testing::WriteFile(path, "1\n2\n");
  {
    // Entries go through the job's sink (`unacked`); the manager's own sink only gates reading.
    auto m = Start(path);
    Pump(m.get());
    ASSERT_EQ(unacked.Lines().size(), 2u);
    ASSERT_TRUE(m->SyncPositions().ok());
    EXPECT_EQ(positions_->All()[0].offset, 0u);  // nothing acknowledged yet
    unacked.AckAll();
    ASSERT_TRUE(m->SyncPositions().ok());
    EXPECT_EQ(positions_->All()[0].offset, 4u);
    testing::AppendFile(path, "3\n");
    Pump(m.get());
    ASSERT_TRUE(m->SyncPositions().ok());  // "3" is not acknowledged
  }
  job_.sink = &sink_;
  OpenPositions();
  auto m = Start(path);
  Pump(m.get());
  EXPECT_THAT(sink_.Lines(), ElementsAre("3"));
}

TEST_F(TailTest, RotatedWhileDownIsFoundNextToItsOldPath) {
  const std::string path = dir_.File("app.log");
  testing::WriteFile(path, "1\n");
  {
    auto m = Start(path);
    Pump(m.get());
    ASSERT_TRUE(m->SyncPositions().ok());
  }
  testing::AppendFile(path, "2\n");
  std::filesystem::rename(path, dir_.File("app.log-2024"));
  testing::WriteFile(path, "3\n");
  OpenPositions();
  auto m = Start(path);
  Pump(m.get());
  EXPECT_THAT(sink_.Lines(), ::testing::UnorderedElementsAre("1", "2", "3"));
}

TEST_F(TailTest, CopyTruncatedUnacknowledgedContentIsFoundInTheCopyAfterACrash) {
  const std::string path = dir_.File("app.log");
  {
    auto m = StartUnacknowledged(path, "old 1\nold 2\n");
    ASSERT_EQ(unacked_.Lines().size(), 2u);
    CopyTruncate(path, "new 1\n");
    Pump(m.get());
    ASSERT_TRUE(m->SyncPositions().ok());
    // ... and the agent dies here (kill -9): nothing acknowledged.
  }
  auto m = RestartAfterCrash(path);
  EXPECT_THAT(sink_.Lines(), ::testing::UnorderedElementsAre("old 1", "old 2", "new 1"));
  ASSERT_TRUE(m->SyncPositions().ok());
  EXPECT_TRUE(positions_->Orphans().empty());  // the copy is tracked as a file now
}

TEST_F(TailTest, CopyTruncateWhileBehindDrainsTheUnreadRestFromTheCopy) {
  const std::string path = dir_.File("app.log");
  testing::WriteFile(path, "old 1\nold 2\n");
  auto m = Start(path);
  Pump(m.get());
  sink_.room = false;  // the server is down: the agent stops reading
  testing::AppendFile(path, "old 3\nold 4\nold 5 without newline");
  Pump(m.get());
  // logrotate copytruncate while the agent is behind; the writer goes on in the truncated file.
  CopyTruncate(path, "new 1\n");
  Pump(m.get());  // still no room: noticed anyway, and the copy opened while it is there
  std::filesystem::remove(dir_.File("app.log.1"));  // e.g. compressed by the next rotation
  EXPECT_EQ(sink_.Lines().size(), 2u);
  sink_.room = true;
  Pump(m.get(), 6);
  EXPECT_THAT(sink_.Lines(),
              ElementsAre("old 1", "old 2", "old 3", "old 4", "old 5 without newline", "new 1"));
  auto entries = sink_.Entries();
  EXPECT_EQ(entries[3].labels.Get("filename"), path);  // the stream of the file it came from
  EXPECT_EQ(m->active_files(), 1u);                    // the copy was let go
  ASSERT_TRUE(m->SyncPositions().ok());
  ASSERT_EQ(positions_->All().size(), 1u);
  EXPECT_EQ(positions_->All()[0].offset, 6u);
}

TEST_F(TailTest, CopyTruncateNotNoticedBeforeACrashIsFoundInTheCopy) {
  const std::string path = dir_.File("app.log");
  {
    auto m = StartUnacknowledged(path, "old 1\nold 2\n");
    ASSERT_EQ(unacked_.Lines().size(), 2u);
    ASSERT_TRUE(m->SyncPositions().ok());
    testing::AppendFile(path, "old 3\n");
    // ... the agent dies here (kill -9), and logrotate runs before it is back.
  }
  CopyTruncate(path, "new 1\n");
  auto m = RestartAfterCrash(path);
  EXPECT_THAT(sink_.Lines(), ::testing::UnorderedElementsAre("old 1", "old 2", "old 3", "new 1"));
}

TEST_F(TailTest, CopyOfTruncatedContentIsResumedAfterACrash) {
  const std::string path = dir_.File("app.log");
  {
    auto m = StartUnacknowledged(path, "old 1\n");
    ASSERT_EQ(unacked_.Lines().size(), 1u);
    unacked_.AckAll();
    sink_.room = false;
    testing::AppendFile(path, "old 2\nold 3\n");
    Pump(m.get());
    CopyTruncate(path, "new 1\n");
    Pump(m.get());  // noticed while behind: the rest of the old content is in the copy
    ASSERT_TRUE(m->SyncPositions().ok());
    // ... and the agent dies here (kill -9).
  }
  auto m = RestartAfterCrash(path);
  EXPECT_THAT(sink_.Lines(), ::testing::UnorderedElementsAre("old 2", "old 3", "new 1"));
}

TEST_F(TailTest, CopyTruncateOfContentNeverReadIsDrainedFromTheCopy) {
  const std::string path = dir_.File("app.log");
  testing::WriteFile(path, "");  // found empty: an empty fingerprint
  sink_.room = false;            // and never read: the server is down
  auto m = Start(path);
  testing::AppendFile(path, "old 1\nold 2\n");
  Pump(m.get());
  CopyTruncate(path, "new 1\n");
  Pump(m.get());
  sink_.room = true;
  Pump(m.get(), 6);
  EXPECT_THAT(sink_.Lines(), ElementsAre("old 1", "old 2", "new 1"));
}

TEST_F(TailTest, ContentNeverReadIsFoundInItsCopyAfterACrash) {
  const std::string path = dir_.File("app.log");
  testing::WriteFile(path, "");
  sink_.room = false;
  {
    auto m = Start(path);
    testing::AppendFile(path, "old 1\nold 2\n");
    Pump(m.get());  // not read, but its fingerprint is in the positions file now
    // ... the agent dies (kill -9), and logrotate runs before it is back.
  }
  CopyTruncate(path, "new 1\n");
  auto m = RestartAfterCrash(path);
  EXPECT_THAT(sink_.Lines(), ::testing::UnorderedElementsAre("old 1", "old 2", "new 1"));
}

// copytruncate into a name the glob matches (`app.log*`, logrotate making app.log.1): the copy
// is not a new file. Seen before the truncation, it is held; when the truncation is noticed the
// unread rest of the old content is read from it (the agent was behind), and nothing twice.
TEST_F(TailTest, CopyMatchedByTheGlobSeenBeforeTheTruncationIsNotReadAgain) {
  const std::string path = dir_.File("app.log");
  auto m = StartBehind(path, path + "*");         // the server is down: the agent falls behind
  std::filesystem::copy_file(path, path + ".1");  // logrotate copies ...
  Pump(m.get());
  EXPECT_EQ(m->active_files(), 1u);       // the copy is held, not tailed from its start
  std::filesystem::resize_file(path, 0);  // ... then truncates; the writer goes on
  testing::AppendFile(path, "new 1\n");
  sink_.room = true;
  Pump(m.get(), 6);
  EXPECT_EQ(sink_.Lines(), Concat(Concat(kRead, kUnread), {"new 1"}));
  auto entries = sink_.Entries();
  EXPECT_EQ(entries[35].labels.Get("filename"), path);  // the stream of the file it came from

  // The next rotation, copy and truncation both done before the agent looks (and the old copy
  // renamed to app.log.2 first): the new copy is found truncated at once; app.log.2 is known.
  const std::vector<std::string> second = Numbered("second", 0, 20);
  testing::AppendFile(path, Joined(second));
  Pump(m.get());
  std::filesystem::rename(path + ".1", path + ".2");
  CopyTruncate(path, "new 2\n");
  Pump(m.get(), 6);
  EXPECT_EQ(sink_.Lines(),
            Concat(Concat(Concat(kRead, kUnread), Concat({"new 1"}, second)), {"new 2"}));
  EXPECT_EQ(m->active_files(), 3u);  // app.log, app.log.1, app.log.2: all under the glob
}

// The same, the truncation noticed before any rescan saw the copy (no inotify, a long rescan
// period): the copy is found next to the file and drained; when the rescan comes, the copy is
// a known file, not a new one.
TEST_F(TailTest, CopyMatchedByTheGlobSeenAfterTheTruncationIsNotReadAgain) {
  use_inotify_ = false;
  rescan_ns_ = 3600'000'000'000;
  const std::string path = dir_.File("app.log");
  auto m = StartBehind(path, path + "*");
  CopyTruncate(path, "new 1\n");
  sink_.room = true;
  Pump(m.get(), 6);  // polls notice the truncation; the copy is drained, its grace passes
  const std::vector<std::string> want = Concat(Concat(kRead, kUnread), {"new 1"});
  EXPECT_EQ(sink_.Lines(), want);
  clock_.Advance(rescan_ns_);  // now the rescan sees app.log.1
  Pump(m.get(), 4);
  EXPECT_EQ(sink_.Lines(), want);
  EXPECT_EQ(m->active_files(), 2u);
}

// Killed after the copy was seen (held) and before the truncation: after the restart the copy
// matches the recorded position of the old content and is read from its acknowledged offset.
TEST_F(TailTest, CopyMatchedByTheGlobIsReadFromTheAcknowledgedOffsetAfterARestart) {
  const std::string path = dir_.File("app.log");
  {
    auto m = StartBehind(path, path + "*");
    std::filesystem::copy_file(path, path + ".1");
    Pump(m.get());
    ASSERT_EQ(m->active_files(), 1u);  // held
    ASSERT_TRUE(m->SyncPositions().ok());
    // ... the agent dies here (kill -9); logrotate truncates before it is back.
  }
  std::filesystem::resize_file(path, 0);
  testing::AppendFile(path, "new 1\n");
  auto m = RestartAfterCrash(path + "*");
  Pump(m.get(), 4);
  EXPECT_THAT(sink_.Lines(),
              ::testing::UnorderedElementsAreArray(Concat(Concat(kRead, kUnread), {"new 1"})));
  EXPECT_EQ(sink_.Lines().size(), 41u);
  // The rest of the old content in its order, in the stream of the file it came from.
  auto entries = sink_.Entries();
  std::vector<std::string> old_rest;
  for (size_t i = 30; i < entries.size(); ++i) {
    if (entries[i].line != "new 1") {
      old_rest.push_back(entries[i].line);
      EXPECT_EQ(entries[i].labels.Get("filename"), path);
    }
  }
  EXPECT_EQ(old_rest, kUnread);
}

// Killed before the rescan saw the copy at all (logrotate ran while the agent was down): the
// restart finds it by the recorded fingerprint.
TEST_F(TailTest, CopyMadeWhileTheAgentWasDownIsReadFromTheAcknowledgedOffset) {
  const std::string path = dir_.File("app.log");
  testing::WriteFile(path, Joined(kRead));
  {
    auto m = Start(path + "*");
    Pump(m.get());
    ASSERT_TRUE(m->SyncPositions().ok());
  }
  testing::AppendFile(path, Joined(kUnread));
  CopyTruncate(path, "new 1\n");
  auto m = RestartAfterCrash(path + "*");
  Pump(m.get(), 4);
  EXPECT_THAT(sink_.Lines(),
              ::testing::UnorderedElementsAreArray(Concat(Concat(kRead, kUnread), {"new 1"})));
}

// logrotate `copy` (no truncation): the copy is held while the original reads on, then tailed
// from its end: everything in it was shipped from the original.
TEST_F(TailTest, PlainCopyIsTailedFromItsEndOnceTheOriginalReadsPastIt) {
  const std::string path = dir_.File("app.log");
  const std::vector<std::string> lines = Numbered("line", 0, 30);
  testing::WriteFile(path, Joined(lines));
  auto m = Start(dir_.path() + "/*");
  Pump(m.get());
  std::filesystem::copy_file(path, dir_.File("app.copy"));
  Pump(m.get());
  EXPECT_EQ(m->active_files(), 1u);
  testing::AppendFile(path, "after the copy\n");
  Pump(m.get());
  EXPECT_EQ(m->active_files(), 2u);
  testing::AppendFile(dir_.File("app.copy"), "written to the copy\n");
  Pump(m.get());
  EXPECT_EQ(sink_.Lines(), Concat(lines, {"after the copy", "written to the copy"}));
}

// New files that only begin like a tailed file (less than a fingerprint in common), and new
// empty files, are read from their start, without waiting for long.
TEST_F(TailTest, NewFilesSharingAShortPrefixWithATailedFileAreReadFromTheStart) {
  const std::vector<std::string> lines = Numbered("line", 0, 30);
  testing::WriteFile(dir_.File("a.log"), Joined(lines));
  auto m = Start(dir_.path() + "/*.log");
  Pump(m.get());
  testing::WriteFile(dir_.File("b.log"), lines[0] + "\nother\n");
  testing::WriteFile(dir_.File("c.log"), "");
  m->RunOnce(0);  // found now; c.log is empty: a copy may be on its way
  testing::AppendFile(dir_.File("c.log"), "c 1\n");
  Pump(m.get(), 2);
  EXPECT_EQ(sink_.Lines(), Concat(lines, {lines[0], "other", "c 1"}));
  // A new file with the first lines of a tailed file for longer than the grace period is new.
  testing::WriteFile(dir_.File("d.log"), Joined({lines[0], lines[1]}));
  Pump(m.get(), 3);
  EXPECT_EQ(sink_.Lines().size(), lines.size() + 5);
}

// logrotate `olddir`: the copy goes to another directory. Found when the target's glob walks
// that directory, even if the copy's name does not match the glob.
TEST_F(TailTest, CopyInAnOldDirWalkedByTheGlobIsFound) {
  std::filesystem::create_directories(dir_.File("app/old"));
  const std::string path = dir_.File("app/app.log");
  auto m = StartBehind(path, dir_.path() + "/**/app.log");
  std::filesystem::copy_file(path, dir_.File("app/old/app.log.1"));
  std::filesystem::resize_file(path, 0);
  testing::AppendFile(path, "new 1\n");
  sink_.room = true;
  Pump(m.get(), 6);
  EXPECT_EQ(sink_.Lines(), Concat(Concat(kRead, kUnread), {"new 1"}));
}

TEST(RateLimitedLogTest, AllowsPerSecondThenCounts) {
  for (int64_t start : {int64_t{0}, int64_t{1'700'000'000'000'000'000}, int64_t{-5}}) {
    RateLimitedLog l(2);
    EXPECT_TRUE(l.Allow(start));  // the first call, whatever the clock reads
    EXPECT_TRUE(l.Allow(start + 1));
    EXPECT_FALSE(l.Allow(start + 999'999'999));
    EXPECT_EQ(l.suppressed(), 1u);
    EXPECT_TRUE(l.Allow(start + 1'000'000'000));  // a new window
  }
}

TEST_F(TailTest, NoRoomMeansNoReading) {
  testing::WriteFile(dir_.File("a.log"), "1\n");
  sink_.room = false;
  auto m = Start(dir_.path() + "/*.log");
  Pump(m.get());
  EXPECT_TRUE(sink_.Lines().empty());
  sink_.room = true;
  Pump(m.get());
  EXPECT_THAT(sink_.Lines(), ElementsAre("1"));
}

TEST_F(TailTest, KubernetesLabelsRelabelAndExclusion) {
  std::filesystem::create_directories(dir_.File("pods/shop_web-1_u1/nginx"));
  std::filesystem::create_directories(dir_.File("pods/kube-system_dns-1_u2/dns"));
  testing::WriteFile(dir_.File("pods/shop_web-1_u1/nginx/0.log"),
                     "2024-01-02T03:04:05Z stdout F hello\n");
  testing::WriteFile(dir_.File("pods/shop_web-1_u1/nginx/1.log"), "excluded\n");
  testing::WriteFile(dir_.File("pods/kube-system_dns-1_u2/dns/0.log"), "dropped\n");
  std::vector<RelabelConfig> relabel = {
      *RelabelConfig::Make(RelabelAction::kDrop, {"__meta_kubernetes_namespace"}, "kube-system")};
  auto m = Start(dir_.path() + "/pods/*/*/*.log", {}, &relabel, dir_.path() + "/pods/*/*/1.log");
  Pump(m.get());
  auto entries = sink_.Entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].line, "hello");  // CRI detected and decoded
  EXPECT_EQ(entries[0].labels.Get("namespace"), "shop");
  EXPECT_EQ(entries[0].labels.Get("pod"), "web-1");
  EXPECT_EQ(entries[0].labels.Get("container"), "nginx");
  EXPECT_EQ(entries[0].labels.Get("stream"), "stdout");
  EXPECT_FALSE(entries[0].labels.Has("__meta_kubernetes_namespace"));
  EXPECT_EQ(entries[0].ts_ns, 1704164645000000000);
}

TEST_F(TailTest, DockerPartialLineHoldsTheAcknowledgedOffset) {
  pipeline_.format = LineFormat::kDocker;
  testing::CollectingSink unacked(false);
  job_.sink = &unacked;
  const std::string path = dir_.File("c.log");
  const std::string part1 = R"({"log":"big ","stream":"stdout","time":"2024-01-02T03:04:05Z"})";
  testing::WriteFile(path, R"({"log":"whole\n","stream":"stdout","time":"2024-01-02T03:04:05Z"})"
                           "\n" +
                               part1 + "\n");
  auto m = Start(path);
  Pump(m.get());
  ASSERT_THAT(unacked.Lines(), ElementsAre("whole"));
  unacked.AckAll();
  ASSERT_TRUE(m->SyncPositions().ok());
  // The partial line is not done: the offset stops at its start.
  const uint64_t partial_start = testing::ReadFile(path).size() - part1.size() - 1;
  EXPECT_EQ(positions_->All()[0].offset, partial_start);
  testing::AppendFile(path, R"({"log":"line\n","stream":"stdout","time":"2024-01-02T03:04:06Z"})"
                            "\n");
  Pump(m.get());
  EXPECT_THAT(unacked.Lines(), ElementsAre("whole", "big line"));
}

TEST_F(TailTest, CriPartialLineIsJoinedAcrossARestart) {
  pipeline_.format = LineFormat::kCri;
  const std::string path = dir_.File("0.log");
  testing::WriteFile(path,
                     "2024-01-02T03:04:05Z stdout F done\n2024-01-02T03:04:06Z stdout P big \n");
  {
    auto m = Start(path);
    Pump(m.get());
    ASSERT_THAT(sink_.Lines(), ElementsAre("done"));
    ASSERT_TRUE(m->SyncPositions().ok());
    // ... killed with half a line held: the positions file points at its first part.
  }
  testing::AppendFile(path, "2024-01-02T03:04:06Z stdout F line\n");
  OpenPositions();
  auto m = Start(path);
  Pump(m.get());
  EXPECT_THAT(sink_.Lines(), ElementsAre("done", "big line"));  // neither lost nor repeated
}

TEST_F(TailTest, AcknowledgementIsWrittenToThePositionsFileWithoutWaitingForTheSyncPeriod) {
  DurableAcks acks;
  acks_ = &acks;
  sync_ns_ = 3600'000'000'000;  // the clock never gets there: only the acknowledgement writes
  job_.sink = &unacked_;
  const std::string path = dir_.File("app.log");
  testing::WriteFile(path, "1\n2\n");
  auto m = Start(path);
  m->RunOnce(0);
  m->RunOnce(0);
  ASSERT_EQ(unacked_.Lines().size(), 2u);
  auto on_disk = [&]() -> std::optional<uint64_t> {
    Result<std::vector<PositionEntry>> e =
        Positions::Parse(testing::ReadFile(dir_.File("positions.yaml")));
    if (!e.ok() || e->empty())
      return std::nullopt;
    return (*e)[0].offset;
  };
  EXPECT_EQ(positions_->writes(), 0u);  // nothing acknowledged, nothing written
  unacked_.AckAll();                    // the server acknowledged the batch; the shipper reports it
  const uint64_t seq = acks.Acked();
  for (int i = 0; i < 1000 && acks.durable() < seq; ++i) {
    m->RunOnce(0);  // the clock stands still
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_GE(acks.durable(), seq);
  EXPECT_EQ(on_disk(), 4u);
  EXPECT_EQ(positions_->writes(), 1u);
  // The next acknowledgement is written too; an iteration without one writes nothing.
  testing::AppendFile(path, "3\n");
  m->RunOnce(0);
  m->RunOnce(0);
  ASSERT_EQ(unacked_.Lines().size(), 3u);
  unacked_.AckAll();
  const uint64_t seq2 = acks.Acked();
  for (int i = 0; i < 1000 && acks.durable() < seq2; ++i) {
    m->RunOnce(0);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_GE(acks.durable(), seq2);
  EXPECT_EQ(on_disk(), 6u);
  m->RunOnce(0);
  m.reset();  // joins the writer
  EXPECT_EQ(positions_->writes(), 2u);
}

TEST_F(TailTest, ReadingStopsAtTheLineThatFillsTheSink) {
  // 2 000 lines of 100 bytes (200 KB: less than one read budget of 256 KiB) into a sink that
  // has room below 10 000 bytes: it is never exceeded by more than one line's entry, and what
  // is left is read when there is room again, every line once, in order.
  LimitedSink limited(10'000);
  job_.sink = &limited;
  const std::string path = dir_.File("app.log");
  std::vector<std::string> want;
  std::string content;
  for (int i = 0; i < 2000; ++i) {
    std::string line = std::to_string(i);
    line.resize(99, '.');
    want.push_back(line);
    content += line + "\n";
  }
  testing::WriteFile(path, content);
  auto m = Start(path);
  const size_t entry_bytes = want[0].size() + 16;  // ShipEntry::Bytes of one line
  for (int round = 0; round < 1000 && limited.lines_.size() < want.size(); ++round) {
    m->RunOnce(0);
    EXPECT_LT(limited.max_held_, limited.limit_ + entry_bytes);
    limited.Release();  // the server acknowledged everything held
  }
  EXPECT_EQ(limited.lines_, want);
  EXPECT_GE(limited.max_held_, limited.limit_);  // it was full, and stopped there
}

TEST_F(TailTest, AFileThatFillsTheSinkDoesNotStarveTheOthers) {
  // Two files with a backlog of 200 KB each and a sink that fills after ~10 KB: every round
  // reads some of the second file too, not only the first until it is done.
  LimitedSink limited(10'000);
  job_.sink = &limited;
  manager_sink_ = &limited;
  std::vector<std::string> want_a, want_b;
  for (const char* name : {"a", "b"}) {
    std::string content;
    std::vector<std::string>& want = name[0] == 'a' ? want_a : want_b;
    for (int i = 0; i < 2000; ++i) {
      std::string line = std::string(name) + std::to_string(i);
      line.resize(99, '.');
      want.push_back(line);
      content += line + "\n";
    }
    testing::WriteFile(dir_.File(std::string(name) + ".log"), content);
  }
  auto m = Start(dir_.File("*.log"));
  size_t from_a = 0, from_b = 0;
  for (int round = 0; round < 10; ++round) {
    m->RunOnce(0);
    limited.Release();
  }
  for (const std::string& l : limited.lines_)
    ++(l[0] == 'a' ? from_a : from_b);
  EXPECT_GT(from_a, 300u);
  EXPECT_GT(from_b, 300u);
  for (int round = 0; round < 1000 && limited.lines_.size() < 4000; ++round) {
    m->RunOnce(0);
    limited.Release();
  }
  std::vector<std::string> got_a, got_b;  // each file's lines once, in order
  for (const std::string& l : limited.lines_)
    (l[0] == 'a' ? got_a : got_b).push_back(l);
  EXPECT_EQ(got_a, want_a);
  EXPECT_EQ(got_b, want_b);
}

}  // namespace
}  // namespace sluice::agent
