// Root header of the chunks module: durable log storage (WAL + head blocks + chunk files).
// Include this for the public API.
//
//   chunks::StoreOptions opts;
//   opts.dir = data_dir;                      // WAL in data_dir/wal, chunks in data_dir/chunks
//   opts.observer = &index_updater;           // optional: learn about new streams and chunks
//   SLUICE_ASSIGN_OR_RETURN(auto store, chunks::Store::Open(std::move(opts)));
//   chunks::StreamAppend s{&labels, labels.Hash(), entries};
//   chunks::AppendOutcome outcome;
//   SLUICE_RETURN_IF_ERROR(store->Append(tenant, {&s, 1}, &outcome));  // durable (fsynced)
//   auto it = store->NewStreamIterator(tenant, labels.Hash(), start, end, Direction::kBackward);
//   ...
//   SLUICE_RETURN_IF_ERROR(store->FlushAll());  // clean shutdown: heads to chunks, WAL trimmed
//
//   store.h         Store, StoreOptions, StoreObserver, StreamAppend, AppendOutcome, ChunkMeta
//   object_store.h  ObjectStore seam and the local-file-system implementation
//
// Formats: chunks/FORMAT.md (chunk files), chunks/WAL.md (write-ahead log).
#pragma once

#include "chunks/object_store.h"
#include "chunks/store.h"
