#include "server/http_types.h"

#include <gtest/gtest.h>

namespace sluice::server {
namespace {

TEST(HttpTypesTest, UrlDecode) {
  EXPECT_EQ(UrlDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(UrlDecode("a%20b+c", false), "a b+c");
  EXPECT_EQ(UrlDecode("%7Bapp%3D%22x%22%7D", true), "{app=\"x\"}");
  EXPECT_EQ(UrlDecode("bad%zz%4", true), "bad%zz%4");  // malformed escapes kept
  EXPECT_EQ(UrlDecode("%", true), "%");
}

TEST(HttpTypesTest, QueryStringKeepsRepeatsAndOrder) {
  KeyValues kv;
  ParseQueryString("match[]=%7Ba%3D%22b%22%7D&limit=5&&match[]=x&flag", &kv);
  ASSERT_EQ(kv.size(), 4u);
  HttpRequest req;
  req.params = kv;
  EXPECT_EQ(req.Param("limit"), "5");
  EXPECT_EQ(req.Params("match[]"), (std::vector<std::string_view>{"{a=\"b\"}", "x"}));
  EXPECT_TRUE(req.FindParam("flag").has_value());
  EXPECT_EQ(req.Param("flag"), "");
  EXPECT_FALSE(req.FindParam("absent").has_value());
}

TEST(HttpTypesTest, HeadersAreCaseInsensitive) {
  HttpRequest req;
  req.headers = {{"x-scope-orgid", "team-a"}};
  EXPECT_EQ(req.Header("X-Scope-OrgID"), "team-a");
  EXPECT_TRUE(req.HasHeader("X-SCOPE-ORGID"));
  EXPECT_FALSE(req.HasHeader("content-type"));
}

TEST(HttpTypesTest, StatusTable) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(StatusCode::kTooLarge), 413);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnprocessable), 422);
  EXPECT_EQ(HttpStatusFor(StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusFor(StatusCode::kDeadlineExceeded), 504);
  EXPECT_EQ(HttpStatusFor(StatusCode::kIOError), 500);
  HttpResponse r = ErrorResponse(Status(StatusCode::kUnauthenticated, "no org id"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body, "no org id");
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
}

}  // namespace
}  // namespace sluice::server
