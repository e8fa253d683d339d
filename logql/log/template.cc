// Go text/template subset: parsing (lexer + recursive descent) and execution.
#include "logql/log/template.h"

#include <charconv>

#include "logql/log/labels_builder.h"
#include "logql/log/template_value.h"
#include "logql/syntax/unicode_util.h"

namespace sluice::logql::log {

// ---- AST ----

struct Arg;
struct Pipe;

struct Template::Node {
  enum class Kind { kList, kText, kAction, kIf, kWith, kRange } kind = Kind::kList;
  std::string text;                              // kText
  std::shared_ptr<Pipe> pipe;                    // kAction, kIf, kWith, kRange
  std::vector<std::shared_ptr<Node>> list;       // kList; branch body otherwise
  std::vector<std::shared_ptr<Node>> else_list;  // kIf / kWith / kRange
};

using Node = Template::Node;

struct Arg {
  enum class Kind { kField, kDot, kVar, kString, kInt, kFloat, kBool, kNil, kIdent, kPipe } kind;
  std::string name;                 // var name ("$x"), identifier, string value
  std::vector<std::string> fields;  // kField / kVar chained fields
  int64_t i = 0;
  double f = 0;
  bool b = false;
  std::shared_ptr<Pipe> pipe;
};

struct Cmd {
  std::vector<Arg> args;
};

struct Pipe {
  std::vector<std::string> decl;  // `$x :=` / `$k, $v :=`
  bool assign = false;            // `=` instead of `:=`
  std::vector<Cmd> cmds;
};

namespace {

// ---- Lexer over one action's inside ----

struct Tok {
  enum class Kind {
    kEOF,
    kIdent,
    kField,
    kVar,
    kString,
    kNumber,
    kChar,
    kPipe,
    kLParen,
    kRParen,
    kDeclare,
    kAssign,
    kComma,
    kDot,
    kError
  } kind = Kind::kEOF;
  std::string text;
};

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

class ActionLexer {
 public:
  explicit ActionLexer(std::string_view s) : s_(s) {}

  Tok Next() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\n' || s_[p_] == '\r'))
      ++p_;
    Tok t;
    if (p_ >= s_.size())
      return t;
    char c = s_[p_];
    size_t start = p_;
    if (c == '|') {
      ++p_;
      t.kind = Tok::Kind::kPipe;
      return t;
    }
    if (c == '(') {
      ++p_;
      t.kind = Tok::Kind::kLParen;
      return t;
    }
    if (c == ')') {
      ++p_;
      t.kind = Tok::Kind::kRParen;
      return t;
    }
    if (c == ',') {
      ++p_;
      t.kind = Tok::Kind::kComma;
      return t;
    }
    if (c == ':' && p_ + 1 < s_.size() && s_[p_ + 1] == '=') {
      p_ += 2;
      t.kind = Tok::Kind::kDeclare;
      return t;
    }
    if (c == '=') {
      ++p_;
      t.kind = Tok::Kind::kAssign;
      return t;
    }
    if (c == '"' || c == '`' || c == '\'') {
      char q = c;
      ++p_;
      while (p_ < s_.size() && s_[p_] != q) {
        if (s_[p_] == '\\' && q != '`')
          ++p_;
        ++p_;
      }
      if (p_ >= s_.size())
        return Error(q == '`' ? "unterminated raw quoted string" : "unterminated quoted string");
      ++p_;
      t.kind = q == '\'' ? Tok::Kind::kChar : Tok::Kind::kString;
      t.text = std::string(s_.substr(start, p_ - start));
      return t;
    }
    if (c == '.' &&
        (p_ + 1 >= s_.size() || !IsAlnum(s_[p_ + 1]) || (s_[p_ + 1] >= '0' && s_[p_ + 1] <= '9'))) {
      if (p_ + 1 < s_.size() && s_[p_ + 1] >= '0' && s_[p_ + 1] <= '9')
        return Number();
      ++p_;
      t.kind = Tok::Kind::kDot;
      return t;
    }
    if (c == '.' || c == '$') {
      ++p_;
      while (p_ < s_.size() &&
             (IsAlnum(s_[p_]) || (s_[p_] == '.' && p_ + 1 < s_.size() && IsAlnum(s_[p_ + 1]))))
        ++p_;
      t.kind = c == '.' ? Tok::Kind::kField : Tok::Kind::kVar;
      t.text = std::string(s_.substr(start, p_ - start));
      return t;
    }
    if ((c >= '0' && c <= '9') ||
        ((c == '-' || c == '+') && p_ + 1 < s_.size() &&
         ((s_[p_ + 1] >= '0' && s_[p_ + 1] <= '9') || s_[p_ + 1] == '.'))) {
      return Number();
    }
    if (IsAlnum(c)) {
      while (p_ < s_.size() && IsAlnum(s_[p_]))
        ++p_;
      // A field chain after an identifier is not supported; fields start with '.'.
      t.kind = Tok::Kind::kIdent;
      t.text = std::string(s_.substr(start, p_ - start));
      return t;
    }
    return Error(std::string("unexpected \"") + c + "\" in command");
  }

 private:
  Tok Number() {
    size_t start = p_;
    if (s_[p_] == '-' || s_[p_] == '+')
      ++p_;
    while (p_ < s_.size() &&
           (IsAlnum(s_[p_]) || s_[p_] == '.' ||
            ((s_[p_] == '-' || s_[p_] == '+') &&
             (s_[p_ - 1] == 'e' || s_[p_ - 1] == 'E' || s_[p_ - 1] == 'p' || s_[p_ - 1] == 'P')))) {
      ++p_;
    }
    Tok t;
    t.kind = Tok::Kind::kNumber;
    t.text = std::string(s_.substr(start, p_ - start));
    return t;
  }

  Tok Error(std::string msg) {
    Tok t;
    t.kind = Tok::Kind::kError;
    t.text = std::move(msg);
    p_ = s_.size();
    return t;
  }

  std::string_view s_;
  size_t p_ = 0;
};

bool UnquoteGo(std::string_view q, std::string* out) {
  out->clear();
  if (q.size() < 2)
    return false;
  if (q[0] == '`') {
    out->assign(q.substr(1, q.size() - 2));
    return true;
  }
  q = q.substr(1, q.size() - 2);
  for (size_t i = 0; i < q.size(); ++i) {
    char c = q[i];
    if (c != '\\') {
      out->push_back(c);
      continue;
    }
    if (++i >= q.size())
      return false;
    switch (q[i]) {
      case 'n':
        out->push_back('\n');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 'a':
        out->push_back('\a');
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'v':
        out->push_back('\v');
        break;
      case '\\':
      case '"':
      case '\'':
        out->push_back(q[i]);
        break;
      case 'x': {
        if (i + 2 >= q.size() + 0 && i + 2 > q.size())
          return false;
        int v = 0;
        auto r = std::from_chars(q.data() + i + 1, q.data() + std::min(q.size(), i + 3), v, 16);
        if (r.ec != std::errc())
          return false;
        out->push_back(static_cast<char>(v));
        i += 2;
        break;
      }
      case 'u':
      case 'U': {
        size_t n = q[i] == 'u' ? 4 : 8;
        if (i + n >= q.size() + 1 && i + n > q.size() - 1 + 1)
          return false;
        uint32_t v = 0;
        auto r = std::from_chars(q.data() + i + 1, q.data() + std::min(q.size(), i + 1 + n), v, 16);
        if (r.ec != std::errc())
          return false;
        i += n;
        if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
          return false;  // Go: !utf8.ValidRune -> invalid syntax
        syntax::AppendRune(static_cast<int32_t>(v), out);
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

std::vector<std::string> SplitFields(std::string_view chain) {
  std::vector<std::string> out;  // ".a.b" -> {a, b}; "$x.a" -> {a}
  size_t p = chain.find('.');
  while (p != std::string_view::npos) {
    size_t q = chain.find('.', p + 1);
    out.emplace_back(chain.substr(p + 1, q == std::string_view::npos ? q : q - p - 1));
    p = q;
  }
  return out;
}

// ---- Parser ----

class Parser {
 public:
  Parser(std::string_view name, std::string_view text) : name_(name), text_(text) {}

  Result<std::shared_ptr<Node>> Parse() {
    auto root = std::make_shared<Node>();
    std::string_view end_kw;
    SLUICE_RETURN_IF_ERROR(ParseList(&root->list, &end_kw, nullptr));
    if (!end_kw.empty())
      return Err("unexpected {{" + std::string(end_kw) + "}}");
    return root;
  }

 private:
  Status Err(std::string msg) const {
    return InvalidArgumentError("template: " + name_ + ":" + std::to_string(line_) + ": " + msg);
  }

  // Reads nodes until EOF or an {{end}} / {{else ...}}; *end_kw gets "end"/"else" and
  // *else_rest the text after "else".
  Status ParseList(std::vector<std::shared_ptr<Node>>* list, std::string_view* end_kw,
                   std::string* else_rest) {
    while (pos_ < text_.size()) {
      size_t open = text_.find("{{", pos_);
      std::string_view text =
          text_.substr(pos_, open == std::string_view::npos ? open : open - pos_);
      if (open == std::string_view::npos) {
        AddText(list, text);
        pos_ = text_.size();
        break;
      }
      size_t inner = open + 2;
      bool trim_left = inner + 1 < text_.size() && text_[inner] == '-' &&
                       (text_[inner + 1] == ' ' || text_[inner + 1] == '\t' ||
                        text_[inner + 1] == '\n' || text_[inner + 1] == '\r');
      if (trim_left) {
        while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                                 text.back() == '\r'))
          text.remove_suffix(1);
        inner += 1;
      }
      AddText(list, text);
      for (char c : text_.substr(pos_, open - pos_))
        line_ += c == '\n';
      size_t close = FindClose(inner);
      if (close == std::string_view::npos)
        return Err("unclosed action");
      bool trim_right = close >= 1 && text_[close - 1] == '-' && close >= 2 &&
                        (text_[close - 2] == ' ' || text_[close - 2] == '\t' ||
                         text_[close - 2] == '\n' || text_[close - 2] == '\r');
      std::string_view action = text_.substr(inner, (trim_right ? close - 1 : close) - inner);
      pos_ = close + 2;
      if (trim_right) {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                       text_[pos_] == '\n' || text_[pos_] == '\r'))
          ++pos_;
      }
      std::string_view a = Trim(action);
      if (a.starts_with("/*"))
        continue;  // comment
      std::string_view kw = a.substr(0, a.find_first_of(" \t\n\r("));
      if (kw == "end") {
        *end_kw = "end";
        return Status::Ok();
      }
      if (kw == "else") {
        *end_kw = "else";
        if (else_rest)
          *else_rest = std::string(Trim(a.substr(4)));
        return Status::Ok();
      }
      if (kw == "if" || kw == "with" || kw == "range") {
        auto n = std::make_shared<Node>();
        n->kind = kw == "if"     ? Node::Kind::kIf
                  : kw == "with" ? Node::Kind::kWith
                                 : Node::Kind::kRange;
        SLUICE_RETURN_IF_ERROR(ParseControl(n.get(), a.substr(kw.size()), kw));
        list->push_back(std::move(n));
        continue;
      }
      if (kw == "define" || kw == "template" || kw == "block" || kw == "break" ||
          kw == "continue") {
        return Err("unsupported action " + std::string(kw));
      }
      auto n = std::make_shared<Node>();
      n->kind = Node::Kind::kAction;
      SLUICE_ASSIGN_OR_RETURN(n->pipe, ParsePipe(a, true));
      list->push_back(std::move(n));
    }
    *end_kw = "";
    return Status::Ok();
  }

  Status ParseControl(Node* n, std::string_view pipe_text, std::string_view kw) {
    SLUICE_ASSIGN_OR_RETURN(n->pipe, ParsePipe(Trim(pipe_text), true));
    std::string_view end_kw;
    std::string rest;
    SLUICE_RETURN_IF_ERROR(ParseList(&n->list, &end_kw, &rest));
    if (end_kw.empty())
      return Err("unexpected EOF");
    if (end_kw == "else") {
      std::string_view r = rest;
      if (!r.empty()) {  // else if / else with
        std::string_view kw2 = r.substr(0, r.find_first_of(" \t\n\r("));
        if (kw2 != kw || kw == "range")
          return Err("unexpected " + std::string(r) + " in else");
        auto nested = std::make_shared<Node>();
        nested->kind = n->kind;
        SLUICE_RETURN_IF_ERROR(ParseControl(nested.get(), r.substr(kw2.size()), kw));
        n->else_list.push_back(std::move(nested));
        return Status::Ok();  // the nested chain consumed {{end}}
      }
      SLUICE_RETURN_IF_ERROR(ParseList(&n->else_list, &end_kw, nullptr));
      if (end_kw != "end")
        return Err("expected end; found " + std::string(end_kw.empty() ? "EOF" : end_kw));
    }
    return Status::Ok();
  }

  size_t FindClose(size_t from) const {
    size_t p = from;
    while (p + 1 < text_.size()) {
      char c = text_[p];
      if (c == '"' || c == '`' || c == '\'') {
        char q = c;
        ++p;
        while (p < text_.size() && text_[p] != q) {
          if (text_[p] == '\\' && q != '`')
            ++p;
          ++p;
        }
        ++p;
        continue;
      }
      if (c == '}' && text_[p + 1] == '}')
        return p;
      ++p;
    }
    return std::string_view::npos;
  }

  static std::string_view Trim(std::string_view s) {
    while (!s.empty() &&
           (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
      s.remove_prefix(1);
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
      s.remove_suffix(1);
    return s;
  }

  static void AddText(std::vector<std::shared_ptr<Node>>* list, std::string_view text) {
    if (text.empty())
      return;
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::kText;
    n->text = std::string(text);
    list->push_back(std::move(n));
  }

  Result<std::shared_ptr<Pipe>> ParsePipe(std::string_view text, bool allow_decl) {
    ActionLexer lex(text);
    std::vector<Tok> toks;
    for (Tok t = lex.Next(); t.kind != Tok::Kind::kEOF; t = lex.Next()) {
      if (t.kind == Tok::Kind::kError)
        return Err(t.text);
      toks.push_back(std::move(t));
    }
    size_t i = 0;
    return ParsePipeToks(toks, &i, allow_decl, false);
  }

  Result<std::shared_ptr<Pipe>> ParsePipeToks(const std::vector<Tok>& toks, size_t* i,
                                              bool allow_decl, bool in_paren) {
    auto pipe = std::make_shared<Pipe>();
    if (allow_decl) {
      size_t j = *i;
      std::vector<std::string> vars;
      while (j < toks.size() && toks[j].kind == Tok::Kind::kVar &&
             toks[j].text.find('.') == std::string::npos) {
        vars.push_back(toks[j].text);
        ++j;
        if (j < toks.size() && toks[j].kind == Tok::Kind::kComma) {
          ++j;
          continue;
        }
        break;
      }
      if (!vars.empty() && j < toks.size() &&
          (toks[j].kind == Tok::Kind::kDeclare || toks[j].kind == Tok::Kind::kAssign)) {
        pipe->decl = std::move(vars);
        pipe->assign = toks[j].kind == Tok::Kind::kAssign;
        *i = j + 1;
      }
    }
    Cmd cmd;
    while (*i < toks.size()) {
      const Tok& t = toks[*i];
      if (t.kind == Tok::Kind::kRParen) {
        if (!in_paren)
          return Err("unexpected right paren");
        break;
      }
      ++*i;
      if (t.kind == Tok::Kind::kPipe) {
        if (cmd.args.empty())
          return Err("missing command");
        pipe->cmds.push_back(std::move(cmd));
        cmd = Cmd();
        continue;
      }
      Arg a;
      switch (t.kind) {
        case Tok::Kind::kDot:
          a.kind = Arg::Kind::kDot;
          break;
        case Tok::Kind::kField:
          a.kind = Arg::Kind::kField;
          a.fields = SplitFields(t.text);
          break;
        case Tok::Kind::kVar:
          a.kind = Arg::Kind::kVar;
          a.name = t.text.substr(0, t.text.find('.'));
          a.fields = SplitFields(t.text.substr(a.name.size()));
          if (!IsDeclared(a.name))
            return Err("undefined variable \"" + a.name + "\"");
          break;
        case Tok::Kind::kString:
          a.kind = Arg::Kind::kString;
          if (!UnquoteGo(t.text, &a.name))
            return Err("invalid syntax");
          break;
        case Tok::Kind::kChar: {
          std::string c;
          if (!UnquoteGo("\"" + t.text.substr(1, t.text.size() - 2) + "\"", &c) || c.empty())
            return Err("malformed character constant: " + t.text);
          a.kind = Arg::Kind::kInt;
          a.i = static_cast<unsigned char>(c[0]);
          break;
        }
        case Tok::Kind::kNumber: {
          std::string_view s = t.text;
          int64_t iv = 0;
          bool neg = !s.empty() && s[0] == '-';
          std::string_view d = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? s.substr(1) : s;
          int base = 10;
          if (d.size() > 2 && d[0] == '0' && (d[1] == 'x' || d[1] == 'X')) {
            base = 16;
            d.remove_prefix(2);
          }
          auto r = std::from_chars(d.data(), d.data() + d.size(), iv, base);
          if (r.ec == std::errc() && r.ptr == d.data() + d.size()) {
            a.kind = Arg::Kind::kInt;
            a.i = neg ? -iv : iv;
            break;
          }
          double fv = 0;
          auto rf = std::from_chars(d.data(), d.data() + d.size(), fv);
          if (rf.ec != std::errc() || rf.ptr != d.data() + d.size())
            return Err("bad number syntax: \"" + t.text + "\"");
          a.kind = Arg::Kind::kFloat;
          a.f = neg ? -fv : fv;
          break;
        }
        case Tok::Kind::kIdent:
          if (t.text == "true" || t.text == "false") {
            a.kind = Arg::Kind::kBool;
            a.b = t.text == "true";
            break;
          }
          if (t.text == "nil") {
            a.kind = Arg::Kind::kNil;
            break;
          }
          if (FindTemplateFunc(t.text) == nullptr)
            return Err("function \"" + t.text + "\" not defined");
          a.kind = Arg::Kind::kIdent;
          a.name = t.text;
          break;
        case Tok::Kind::kLParen: {
          a.kind = Arg::Kind::kPipe;
          SLUICE_ASSIGN_OR_RETURN(a.pipe, ParsePipeToks(toks, i, true, true));
          if (*i >= toks.size() || toks[*i].kind != Tok::Kind::kRParen)
            return Err("unclosed left paren");
          ++*i;
          break;
        }
        default:
          return Err("unexpected \"" + t.text + "\" in command");
      }
      cmd.args.push_back(std::move(a));
    }
    if (cmd.args.empty())
      return Err(pipe->cmds.empty() ? "missing value for command" : "missing command");
    pipe->cmds.push_back(std::move(cmd));
    for (const auto& v : pipe->decl)
      declared_.push_back(v);
    return pipe;
  }

  bool IsDeclared(const std::string& v) const {
    if (v == "$")
      return true;
    for (const auto& d : declared_) {
      if (d == v)
        return true;
    }
    return false;
  }

  std::string name_;
  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  std::vector<std::string> declared_;
};

// ---- Execution ----

class Exec {
 public:
  Exec(const TemplateContext& ctx, std::string_view name, std::string* out)
      : ctx_(ctx), name_(name), out_(out) {
    TValue root;
    root.type = TValue::Type::kLabels;
    vars_.emplace_back("$", root);
  }

  Status Walk(const std::vector<std::shared_ptr<Node>>& list, const TValue& dot) {
    for (const auto& n : list)
      SLUICE_RETURN_IF_ERROR(WalkNode(*n, dot));
    return Status::Ok();
  }

 private:
  Status Err(std::string msg) const {
    return InvalidArgumentError("template: " + std::string(name_) + ": executing \"" +
                                std::string(name_) + "\": " + msg);
  }

  Status WalkNode(const Node& n, const TValue& dot) {
    switch (n.kind) {
      case Node::Kind::kText:
        out_->append(n.text);
        return Status::Ok();
      case Node::Kind::kList:
        return Walk(n.list, dot);
      case Node::Kind::kAction: {
        SLUICE_ASSIGN_OR_RETURN(TValue v, EvalPipe(*n.pipe, dot));
        if (n.pipe->decl.empty())
          AppendPrinted(v, out_);
        return Status::Ok();
      }
      case Node::Kind::kIf:
      case Node::Kind::kWith: {
        size_t mark = vars_.size();
        SLUICE_ASSIGN_OR_RETURN(TValue v, EvalPipe(*n.pipe, dot));
        Status st = Truthy(v) ? Walk(n.list, n.kind == Node::Kind::kWith ? v : dot)
                              : Walk(n.else_list, dot);
        vars_.resize(mark);
        return st;
      }
      case Node::Kind::kRange: {
        size_t mark = vars_.size();
        Pipe p = *n.pipe;
        std::vector<std::string> decl = std::move(p.decl);
        p.decl.clear();
        SLUICE_ASSIGN_OR_RETURN(TValue v, EvalPipe(p, dot));
        size_t count = 0;
        auto body = [&](TValue key, const TValue& elem) -> Status {
          ++count;
          // Bounds a hostile template (`range 1e18`): Loki would spin; we fail the entry.
          if (++steps_ > kMaxRangeSteps || out_->size() > kMaxOutputBytes) {
            return Err("template output too large");
          }
          size_t m2 = vars_.size();
          if (decl.size() == 1)
            vars_.emplace_back(decl[0], elem);
          if (decl.size() == 2) {
            vars_.emplace_back(decl[0], std::move(key));
            vars_.emplace_back(decl[1], elem);
          }
          Status st = Walk(n.list, elem);
          vars_.resize(m2);
          return st;
        };
        if (v.type == TValue::Type::kList) {
          for (size_t k = 0; k < v.list->size(); ++k)
            SLUICE_RETURN_IF_ERROR(body(TValue::Int(static_cast<int64_t>(k)), (*v.list)[k]));
        } else if (v.type == TValue::Type::kMap) {
          for (const auto& [k, e] : *v.map)
            SLUICE_RETURN_IF_ERROR(body(TValue::Str(k), e));
        } else if (v.type == TValue::Type::kInt) {
          for (int64_t k = 0; k < v.i; ++k)
            SLUICE_RETURN_IF_ERROR(body(TValue::Int(k), TValue::Int(k)));
        } else if (v.type != TValue::Type::kNil) {
          return Err("range can't iterate over " + Printed(v));
        }
        if (count == 0)
          SLUICE_RETURN_IF_ERROR(Walk(n.else_list, dot));
        vars_.resize(mark);
        return Status::Ok();
      }
    }
    return Status::Ok();
  }

  Result<TValue> Field(const TValue& base, const std::string& field) const {
    if (base.type == TValue::Type::kLabels) {
      auto v = ctx_.labels->Get(field);
      return TValue::Str(v ? std::string(*v) : std::string());
    }
    if (base.type == TValue::Type::kMap) {
      for (const auto& [k, e] : *base.map) {
        if (k == field)
          return e;
      }
      return TValue();
    }
    if (base.type == TValue::Type::kNil)
      return Err("nil pointer evaluating interface {}." + field);
    return Err("can't evaluate field " + field + " in type " + std::string(TypeName(base)));
  }

  Result<TValue> EvalArg(const Arg& a, const TValue& dot) {
    switch (a.kind) {
      case Arg::Kind::kDot:
        return dot;
      case Arg::Kind::kString:
        return TValue::Str(a.name);
      case Arg::Kind::kInt:
        return TValue::Int(a.i);
      case Arg::Kind::kFloat:
        return TValue::Float(a.f);
      case Arg::Kind::kBool:
        return TValue::Bool(a.b);
      case Arg::Kind::kNil:
        return TValue();
      case Arg::Kind::kPipe:
        return EvalPipe(*a.pipe, dot);
      case Arg::Kind::kIdent: {
        std::vector<TValue> none;
        return Call(a.name, none);
      }
      case Arg::Kind::kField:
      case Arg::Kind::kVar: {
        TValue v = dot;
        if (a.kind == Arg::Kind::kVar) {
          bool found = false;
          for (size_t k = vars_.size(); k-- > 0;) {
            if (vars_[k].first == a.name) {
              v = vars_[k].second;
              found = true;
              break;
            }
          }
          if (!found)
            return Err("undefined variable: " + a.name);
        }
        for (const auto& f : a.fields) {
          SLUICE_ASSIGN_OR_RETURN(v, Field(v, f));
        }
        return v;
      }
    }
    return TValue();
  }

  Result<TValue> Call(const std::string& name, const std::vector<TValue>& args) {
    TemplateFunc fn = FindTemplateFunc(name);
    auto r = fn(args, ctx_);
    if (!r.ok())
      return Err("error calling " + name + ": " + r.status().message());
    return r;
  }

  Result<TValue> EvalPipe(const Pipe& p, const TValue& dot) {
    TValue val;
    bool have = false;
    for (const Cmd& c : p.cmds) {
      const Arg& first = c.args[0];
      if (first.kind == Arg::Kind::kIdent) {
        std::vector<TValue> args;
        for (size_t k = 1; k < c.args.size(); ++k) {
          SLUICE_ASSIGN_OR_RETURN(TValue v, EvalArg(c.args[k], dot));
          args.push_back(std::move(v));
        }
        if (have)
          args.push_back(std::move(val));
        SLUICE_ASSIGN_OR_RETURN(val, Call(first.name, args));
      } else {
        if (c.args.size() > 1 || have) {
          return Err("can't give argument to non-function " + Printed(val));
        }
        SLUICE_ASSIGN_OR_RETURN(val, EvalArg(first, dot));
      }
      have = true;
    }
    if (!p.decl.empty()) {
      if (p.assign) {
        for (size_t k = vars_.size(); k-- > 0;) {
          if (vars_[k].first == p.decl[0]) {
            vars_[k].second = val;
            break;
          }
        }
      } else {
        vars_.emplace_back(p.decl[0], val);
      }
    }
    return val;
  }

  static constexpr size_t kMaxRangeSteps = 100000;
  static constexpr size_t kMaxOutputBytes = 4 << 20;

  const TemplateContext& ctx_;
  std::string_view name_;
  std::string* out_;
  size_t steps_ = 0;
  std::vector<std::pair<std::string, TValue>> vars_;
};

}  // namespace

Result<Template> Template::Compile(std::string_view name, std::string_view text) {
  Parser p(name, text);
  SLUICE_ASSIGN_OR_RETURN(std::shared_ptr<Node> root, p.Parse());
  Template t;
  t.name_ = std::string(name);
  if (root->list.size() == 1 && root->list[0]->kind == Node::Kind::kAction) {
    const Pipe& pipe = *root->list[0]->pipe;
    if (pipe.decl.empty() && pipe.cmds.size() == 1 && pipe.cmds[0].args.size() == 1 &&
        pipe.cmds[0].args[0].kind == Arg::Kind::kField && pipe.cmds[0].args[0].fields.size() == 1) {
      t.simple_field_ = pipe.cmds[0].args[0].fields[0];
    }
  }
  t.root_ = std::move(root);
  return t;
}

const std::string& Template::simple_field() const {
  return simple_field_;
}

Status Template::Render(const LabelsBuilder& labels, std::string_view line, int64_t ts_ns,
                        std::string* out) const {
  out->clear();
  TemplateContext ctx{&labels, line, ts_ns};
  Exec exec(ctx, name_, out);
  TValue root;
  root.type = TValue::Type::kLabels;
  return exec.Walk(root_->list, root);
}

}  // namespace sluice::logql::log
