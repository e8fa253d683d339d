// Root header of the chunks module: durable log storage (WAL + head blocks + chunk files).
// Include this for the public API; see store.h for a usage example.
//
//   store.h         Store, StoreOptions, StoreObserver, StreamAppend, AppendOutcome, ChunkMeta
//   object_store.h  ObjectStore seam and the local-file-system implementation
//
// Formats: chunks/FORMAT.md (chunk files), chunks/WAL.md (write-ahead log).
#pragma once

#include "chunks/object_store.h"
#include "chunks/store.h"
