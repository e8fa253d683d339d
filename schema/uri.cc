#include "schema/uri.h"

#include <cctype>

namespace sluice::schema {

namespace {

struct UriParts {
  std::string_view scheme, authority, path, query, fragment;
  bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
};

UriParts Parse(std::string_view s) {
  UriParts p;
  size_t hash = s.find('#');
  if (hash != std::string_view::npos) {
    p.has_fragment = true;
    p.fragment = s.substr(hash + 1);
    s = s.substr(0, hash);
  }
  size_t q = s.find('?');
  if (q != std::string_view::npos) {
    p.has_query = true;
    p.query = s.substr(q + 1);
    s = s.substr(0, q);
  }
  size_t colon = s.find(':');
  if (colon != std::string_view::npos && colon > 0) {
    bool ok = std::isalpha(static_cast<unsigned char>(s[0]));
    for (size_t i = 1; i < colon && ok; ++i) {
      char c = s[i];
      ok = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
    }
    if (ok) {
      p.has_scheme = true;
      p.scheme = s.substr(0, colon);
      s = s.substr(colon + 1);
    }
  }
  if (s.substr(0, 2) == "//") {
    p.has_authority = true;
    size_t slash = s.find('/', 2);
    p.authority = s.substr(2, slash == std::string_view::npos ? std::string_view::npos : slash - 2);
    s = slash == std::string_view::npos ? std::string_view() : s.substr(slash);
  }
  p.path = s;
  return p;
}

std::string RemoveDotSegments(std::string_view in) {
  std::string out;
  while (!in.empty()) {
    if (in.substr(0, 3) == "../") {
      in.remove_prefix(3);
    } else if (in.substr(0, 2) == "./") {
      in.remove_prefix(2);
    } else if (in.substr(0, 3) == "/./") {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.substr(0, 4) == "/../" || in == "/..") {
      in = in.size() == 3 ? std::string_view("/") : in.substr(3);
      size_t slash = out.rfind('/');
      out.resize(slash == std::string::npos ? 0 : slash);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      size_t next = in.find('/', 1);
      if (next == std::string_view::npos)
        next = in.size();
      out.append(in.substr(0, next));
      in.remove_prefix(next);
    }
  }
  return out;
}

std::string Merge(const UriParts& base, std::string_view ref_path) {
  if (base.has_authority && base.path.empty())
    return "/" + std::string(ref_path);
  size_t slash = base.path.rfind('/');
  if (slash == std::string_view::npos)
    return std::string(ref_path);
  return std::string(base.path.substr(0, slash + 1)) + std::string(ref_path);
}

std::string Compose(const UriParts& p, const std::string& path) {
  std::string out;
  if (p.has_scheme) {
    out.append(p.scheme);
    out.push_back(':');
  }
  if (p.has_authority) {
    out.append("//");
    out.append(p.authority);
  }
  out.append(path);
  if (p.has_query) {
    out.push_back('?');
    out.append(p.query);
  }
  if (p.has_fragment) {
    out.push_back('#');
    out.append(p.fragment);
  }
  return out;
}

}  // namespace

std::string ResolveUri(std::string_view base, std::string_view ref) {
  UriParts r = Parse(ref);
  UriParts b = Parse(base);
  UriParts t;
  std::string path;
  if (r.has_scheme) {
    t = r;
    path = RemoveDotSegments(r.path);
  } else {
    t.has_scheme = b.has_scheme;
    t.scheme = b.scheme;
    if (r.has_authority) {
      t.has_authority = true;
      t.authority = r.authority;
      path = RemoveDotSegments(r.path);
      t.has_query = r.has_query;
      t.query = r.query;
    } else {
      t.has_authority = b.has_authority;
      t.authority = b.authority;
      if (r.path.empty()) {
        path = std::string(b.path);
        t.has_query = r.has_query || b.has_query;
        t.query = r.has_query ? r.query : b.query;
      } else {
        path = r.path[0] == '/' ? RemoveDotSegments(r.path) : RemoveDotSegments(Merge(b, r.path));
        t.has_query = r.has_query;
        t.query = r.query;
      }
    }
    t.has_fragment = r.has_fragment;
    t.fragment = r.fragment;
  }
  return Compose(t, path);
}

void SplitFragment(std::string_view uri, std::string_view* base, std::string_view* fragment) {
  size_t hash = uri.find('#');
  if (hash == std::string_view::npos) {
    *base = uri;
    *fragment = {};
  } else {
    *base = uri.substr(0, hash);
    *fragment = uri.substr(hash + 1);
  }
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string EscapePointerToken(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out.append("~0");
    } else if (c == '/') {
      out.append("~1");
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool ParseJsonPointer(std::string_view pointer, std::vector<std::string>* tokens) {
  tokens->clear();
  if (pointer.empty())
    return true;
  if (pointer[0] != '/')
    return false;
  std::string cur;
  for (size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      tokens->push_back(cur);
      cur.clear();
    } else if (pointer[i] == '~') {
      if (i + 1 >= pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1'))
        return false;
      cur.push_back(pointer[i + 1] == '0' ? '~' : '/');
      ++i;
    } else {
      cur.push_back(pointer[i]);
    }
  }
  return true;
}

}  // namespace sluice::schema
