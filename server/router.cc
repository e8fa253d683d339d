#include "server/router.h"

#include <chrono>
#include <exception>

#include <spdlog/spdlog.h>

#include "common/metrics.h"

namespace sluice::server {

namespace {

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string::npos)
      slash = path.size();
    out.emplace_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return out;
}

bool IsFormBody(const HttpRequest& req) {
  std::string_view ct = req.Header("content-type");
  size_t semi = ct.find(';');
  std::string_view media = ct.substr(0, semi);
  while (!media.empty() && media.back() == ' ')
    media.remove_suffix(1);
  return EqualsIgnoreCase(media, "application/x-www-form-urlencoded");
}

}  // namespace

void Router::Add(std::string name, std::vector<std::string> methods, std::string pattern,
                 Handler handler) {
  routes_.push_back(
      Route{std::move(name), std::move(methods), SplitPath(pattern), std::move(handler)});
}

const Router::Route* Router::Match(const std::string& path,
                                   std::vector<std::string>* captures) const {
  std::vector<std::string> segs = SplitPath(path);
  for (const Route& r : routes_) {
    if (r.segments.size() != segs.size())
      continue;
    bool ok = true;
    captures->clear();
    for (size_t i = 0; i < segs.size() && ok; ++i) {
      if (r.segments[i] == "{}") {
        ok = !segs[i].empty();
        captures->push_back(segs[i]);
      } else {
        ok = r.segments[i] == segs[i];
      }
    }
    if (ok)
      return &r;
  }
  captures->clear();
  return nullptr;
}

std::string Router::RouteName(const std::string& path) const {
  std::vector<std::string> captures;
  const Route* r = Match(path, &captures);
  return r == nullptr ? std::string() : r->name;
}

HttpResponse Router::Handle(HttpRequest request) const {
  auto started = std::chrono::steady_clock::now();
  std::vector<std::string> captures;
  const Route* route = Match(request.path, &captures);
  HttpResponse resp;
  std::string route_name = "other";
  if (route == nullptr) {
    resp = TextResponse(404, "404 page not found\n");
  } else {
    route_name = route->name;
    bool allowed = false;
    for (const auto& m : route->methods)
      allowed = allowed || m == request.method;
    if (!allowed) {
      resp = TextResponse(405, "method not allowed");
    } else {
      request.path_params = std::move(captures);
      if (request.method == "POST" && IsFormBody(request)) {
        // Go's ParseForm: body values come before URL values, so the body wins for a name
        // present in both.
        KeyValues merged;
        ParseQueryString(request.body, &merged);
        for (auto& kv : request.params)
          merged.push_back(std::move(kv));
        request.params = std::move(merged);
      }
      try {
        resp = route->handler(request);
      } catch (const std::exception& e) {
        spdlog::error("handler {} {} threw: {}", request.method, request.path, e.what());
        resp = TextResponse(500, "internal error");
      } catch (...) {
        spdlog::error("handler {} {} threw a non-standard exception", request.method, request.path);
        resp = TextResponse(500, "internal error");
      }
    }
  }
  if (durations_ != nullptr) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    durations_->Observe({route_name, request.method, std::to_string(resp.status)}, secs);
  }
  return resp;
}

}  // namespace sluice::server
