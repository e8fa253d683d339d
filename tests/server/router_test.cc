#include "server/router.h"

#include <stdexcept>

#include <gtest/gtest.h>

#include "common/metrics.h"

namespace sluice::server {
namespace {

HttpRequest Req(std::string method, std::string path) {
  HttpRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

TEST(RouterTest, DispatchesByPathAndMethod) {
  Registry registry;
  Histogram* h = registry.NewHistogram("d", "d", {"route", "method", "status_code"});
  Router router(h);
  router.Add("hello", {"GET"}, "/hello",
             [](const HttpRequest&) { return TextResponse(200, "hi"); });
  EXPECT_EQ(router.Handle(Req("GET", "/hello")).body, "hi");
  EXPECT_EQ(router.Handle(Req("POST", "/hello")).status, 405);
  EXPECT_EQ(router.Handle(Req("GET", "/nope")).status, 404);
  EXPECT_EQ(router.Handle(Req("GET", "/hello/")).status, 404);
  EXPECT_EQ(h->Count({"hello", "GET", "200"}), 1u);
  EXPECT_EQ(h->Count({"hello", "POST", "405"}), 1u);
  EXPECT_EQ(h->Count({"other", "GET", "404"}), 2u);
}

TEST(RouterTest, CapturesPathSegments) {
  Router router;
  router.Add("values", {"GET"}, "/loki/api/v1/label/{}/values",
             [](const HttpRequest& r) { return TextResponse(200, r.path_params.at(0)); });
  EXPECT_EQ(router.Handle(Req("GET", "/loki/api/v1/label/service_name/values")).body,
            "service_name");
  EXPECT_EQ(router.Handle(Req("GET", "/loki/api/v1/label//values")).status, 404);
  EXPECT_EQ(router.RouteName("/loki/api/v1/label/x/values"), "values");
}

TEST(RouterTest, FormBodiesBecomeParamsAndWinOverUrl) {
  Router router;
  router.Add("q", {"GET", "POST"}, "/q", [](const HttpRequest& r) {
    return TextResponse(200, std::string(r.Param("query")) + "|" + std::string(r.Param("limit")));
  });
  HttpRequest r = Req("POST", "/q");
  r.headers = {{"content-type", "application/x-www-form-urlencoded; charset=utf-8"}};
  r.params = {{"query", "url"}, {"limit", "5"}};
  r.body = "query=%7Bapp%3D%22x%22%7D";
  EXPECT_EQ(router.Handle(r).body, "{app=\"x\"}|5");
  // Not a form: the body is left alone.
  HttpRequest j = Req("POST", "/q");
  j.headers = {{"content-type", "application/json"}};
  j.body = "query=zzz";
  EXPECT_EQ(router.Handle(j).body, "|");
}

TEST(RouterTest, ExceptionsBecome500) {
  Router router;
  router.Add("boom", {"GET"}, "/boom",
             [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("kaboom"); });
  router.Add("boom2", {"GET"}, "/boom2", [](const HttpRequest&) -> HttpResponse { throw 42; });
  EXPECT_EQ(router.Handle(Req("GET", "/boom")).status, 500);
  EXPECT_EQ(router.Handle(Req("GET", "/boom2")).status, 500);
}

}  // namespace
}  // namespace sluice::server
