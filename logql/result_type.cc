#include "logql/engine.h"

namespace sluice::logql {

std::string_view ResultTypeName(ResultType t) {
  switch (t) {
    case ResultType::kStreams: return "streams";
    case ResultType::kMatrix: return "matrix";
    case ResultType::kVector: return "vector";
    case ResultType::kScalar: return "scalar";
  }
  return "streams";
}

}  // namespace sluice::logql
