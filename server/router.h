// Router: maps (method, path) to a handler, the single place where every request passes
// between the transport and the handlers. It parses form-encoded POST bodies into params,
// fills path parameters, fences exceptions (one catch-all -> 500 + log), answers 404/405, and
// records request durations by route and status code.
//
//   Router router;
//   router.Add("loki_api_v1_query", {"GET", "POST"}, "/loki/api/v1/query", HandleQuery);
//   router.Add("loki_api_v1_label_values", {"GET", "POST"}, "/loki/api/v1/label/{}/values", ...);
//   HttpResponse resp = router.Handle(std::move(request));
//
// Thread-safety: Add() before serving; Handle() may then run concurrently.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "server/http_types.h"

namespace sluice {
class Histogram;
}

namespace sluice::server {

using Handler = std::function<HttpResponse(const HttpRequest&)>;

class Router {
 public:
  // `durations` may be null (no metrics); labels are {route, method, status_code}.
  explicit Router(Histogram* durations = nullptr) : durations_(durations) {}

  // `pattern` is an exact path whose segments may be "{}" (one non-empty segment, captured
  // into HttpRequest::path_params). `name` labels the route in metrics.
  void Add(std::string name, std::vector<std::string> methods, std::string pattern,
           Handler handler);

  HttpResponse Handle(HttpRequest request) const;

  // The route name a path resolves to ("" when none), for logs and tests.
  std::string RouteName(const std::string& path) const;

 private:
  struct Route {
    std::string name;
    std::vector<std::string> methods;
    std::vector<std::string> segments;  // pattern split on '/'
    Handler handler;
  };

  const Route* Match(const std::string& path, std::vector<std::string>* captures) const;

  Histogram* durations_;
  std::vector<Route> routes_;
};

}  // namespace sluice::server
