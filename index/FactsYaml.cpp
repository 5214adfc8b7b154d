//===--- FactsYaml.cpp - corotidy ------------------------------*- C++ -*-===//
//
// Compiled with exceptions and RTTI (yaml-cpp reports errors by throwing);
// nothing here derives from or throws through LLVM code.
//
//===----------------------------------------------------------------------===//

#include "index/FactsYaml.h"
#include <sstream>
#include <stdexcept>
#include <yaml-cpp/yaml.h>

namespace corotidy::index {

namespace {

// ---- Writing ---------------------------------------------------------------

std::string where(const Location &L) {
  return L.File + ":" + std::to_string(L.Line) + ":" + std::to_string(L.Column);
}

void emit(YAML::Emitter &Out, const char *Key, const std::string &Value) {
  Out << YAML::Key << Key << YAML::Value << YAML::DoubleQuoted << Value;
}

void emitEvidence(YAML::Emitter &Out, const char *Key,
                  const std::vector<DynamicUse> &Uses) {
  Out << YAML::Key << Key << YAML::Value << YAML::BeginSeq;
  for (const DynamicUse &Use : Uses) {
    Out << YAML::BeginMap;
    emit(Out, "kind", Use.Kind);
    emit(Out, "detail", Use.Detail);
    emit(Out, "location", where(Use.Where));
    Out << YAML::EndMap;
  }
  Out << YAML::EndSeq;
}

void emitInterface(YAML::Emitter &Out, const Interface &I) {
  Out << YAML::BeginMap;
  emit(Out, "usr", I.Usr);
  emit(Out, "name", I.Name);
  emit(Out, "location", where(I.Where));
  Out << YAML::Key << "incomplete" << YAML::Value << I.Incomplete;
  Out << YAML::Key << "methods" << YAML::Value << YAML::BeginSeq;
  for (const Method &M : I.Methods) {
    Out << YAML::BeginMap;
    emit(Out, "usr", M.Usr);
    emit(Out, "name", M.Name);
    emit(Out, "signature", M.Signature);
    Out << YAML::Key << "coroutine" << YAML::Value << M.Coroutine;
    Out << YAML::Key << "pure" << YAML::Value << M.Pure;
    emit(Out, "location", where(M.Where));
    Out << YAML::EndMap;
  }
  Out << YAML::EndSeq;
  Out << YAML::Key << "implementations" << YAML::Value << YAML::BeginSeq;
  for (const Implementation &Impl : I.Implementations) {
    Out << YAML::BeginMap;
    emit(Out, "usr", Impl.Usr);
    emit(Out, "name", Impl.Name);
    emit(Out, "location", where(Impl.Where));
    Out << YAML::EndMap;
  }
  Out << YAML::EndSeq;
  Out << YAML::Key << "parameter_uses" << YAML::Value << YAML::BeginSeq;
  for (const ParameterUse &Use : I.ParameterUses) {
    Out << YAML::BeginMap;
    emit(Out, "function_usr", Use.FunctionUsr);
    emit(Out, "function", Use.FunctionName);
    emit(Out, "location", where(Use.Where));
    Out << YAML::Key << "concrete_arguments" << YAML::Value << YAML::Flow
        << YAML::BeginSeq;
    for (const std::string &Usr : Use.ConcreteArguments)
      Out << YAML::DoubleQuoted << Usr;
    Out << YAML::EndSeq;
    emit(Out, "definition", Use.Definition.File.empty() ? "" : where(Use.Definition));
    Out << YAML::Key << "forwarded_by" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const std::string &Usr : Use.ForwardedBy)
      Out << YAML::DoubleQuoted << Usr;
    Out << YAML::EndSeq << YAML::EndMap;
  }
  Out << YAML::EndSeq;
  emitEvidence(Out, "dynamic_uses", I.DynamicUses);
  emitEvidence(Out, "blockers", I.Blockers);
  Out << YAML::EndMap;
}

// ---- Reading ---------------------------------------------------------------

struct ReadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string describe(const YAML::Node &Node) {
  const YAML::Mark Mark = Node.Mark();
  if (Mark.is_null())
    return "";
  return " (line " + std::to_string(Mark.line + 1) + ")";
}

YAML::Node required(const YAML::Node &Map, const char *Key) {
  if (!Map.IsMap())
    throw ReadError(std::string("expected a mapping") + describe(Map));
  YAML::Node Value = Map[Key];
  if (!Value)
    throw ReadError(std::string("missing field '") + Key + "'" + describe(Map));
  return Value;
}

std::string text(const YAML::Node &Map, const char *Key) {
  YAML::Node Value = required(Map, Key);
  if (!Value.IsScalar())
    throw ReadError(std::string("field '") + Key + "' must be a string" +
                    describe(Value));
  return Value.as<std::string>();
}

bool flag(const YAML::Node &Map, const char *Key) {
  YAML::Node Value = required(Map, Key);
  try {
    return Value.as<bool>();
  } catch (const YAML::Exception &) {
    throw ReadError(std::string("field '") + Key + "' must be true or false" +
                    describe(Value));
  }
}

YAML::Node sequence(const YAML::Node &Map, const char *Key) {
  YAML::Node Value = required(Map, Key);
  if (!Value.IsSequence())
    throw ReadError(std::string("field '") + Key + "' must be a list" +
                    describe(Value));
  return Value;
}

// `file:line:column` (a path may itself hold colons).
Location parseLocation(const std::string &Text, const YAML::Node &Map) {
  auto Number = [&](const std::string &Digits) {
    if (Digits.empty() ||
        Digits.find_first_not_of("0123456789") != std::string::npos)
      throw ReadError("location '" + Text + "' is not file:line:column" +
                      describe(Map));
    try {
      return static_cast<unsigned>(std::stoul(Digits));
    } catch (const std::exception &) {
      throw ReadError("location '" + Text + "' is not file:line:column" +
                      describe(Map));
    }
  };
  size_t ColumnColon = Text.rfind(':');
  size_t LineColon = ColumnColon == std::string::npos || ColumnColon == 0
                         ? std::string::npos
                         : Text.rfind(':', ColumnColon - 1);
  if (LineColon == std::string::npos || LineColon == 0)
    throw ReadError("location '" + Text + "' is not file:line:column" +
                    describe(Map));
  Location L;
  L.File = Text.substr(0, LineColon);
  L.Line = Number(Text.substr(LineColon + 1, ColumnColon - LineColon - 1));
  L.Column = Number(Text.substr(ColumnColon + 1));
  return L;
}

Location location(const YAML::Node &Map) {
  return parseLocation(text(Map, "location"), Map);
}

// An optional location: empty text means none.
Location definition(const YAML::Node &Map) {
  std::string Text = text(Map, "definition");
  return Text.empty() ? Location{} : parseLocation(Text, Map);
}

// A list of strings: USRs, paths.
std::vector<std::string> usrs(const YAML::Node &Map, const char *Key) {
  std::vector<std::string> Result;
  for (const YAML::Node &Usr : sequence(Map, Key)) {
    if (!Usr.IsScalar())
      throw ReadError(std::string("field '") + Key + "' must be a list of strings" +
                      describe(Usr));
    Result.push_back(Usr.as<std::string>());
  }
  return Result;
}

Interface readInterface(const YAML::Node &N) {
  Interface I;
  I.Usr = text(N, "usr");
  I.Name = text(N, "name");
  I.Where = location(N);
  I.Incomplete = flag(N, "incomplete");
  for (const YAML::Node &M : sequence(N, "methods"))
    I.Methods.push_back({text(M, "usr"), text(M, "name"), text(M, "signature"),
                         flag(M, "coroutine"), flag(M, "pure"), location(M)});
  for (const YAML::Node &M : sequence(N, "implementations"))
    I.Implementations.push_back({text(M, "usr"), text(M, "name"), location(M)});
  for (const YAML::Node &M : sequence(N, "parameter_uses")) {
    I.ParameterUses.push_back({text(M, "function_usr"), text(M, "function"),
                               location(M), usrs(M, "concrete_arguments"),
                               definition(M), usrs(M, "forwarded_by")});
  }
  for (const YAML::Node &M : sequence(N, "dynamic_uses"))
    I.DynamicUses.push_back({text(M, "kind"), text(M, "detail"), location(M)});
  for (const YAML::Node &M : sequence(N, "blockers"))
    I.Blockers.push_back({text(M, "kind"), text(M, "detail"), location(M)});
  return I;
}

Facts readFacts(const YAML::Node &Root) {
  if (!Root.IsMap())
    throw ReadError("the document is not a corotidy index (no top-level mapping)");
  YAML::Node Version = Root["version"];
  if (!Version)
    throw ReadError("the document is not a corotidy index (no 'version')");
  int Number = 0;
  try {
    Number = Version.as<int>();
  } catch (const YAML::Exception &) {
    throw ReadError("'version' must be a number" + describe(Version));
  }
  if (Number != FactsVersion)
    throw ReadError("unsupported index version " + std::to_string(Number) +
                    " (this corotidy reads version " +
                    std::to_string(FactsVersion) + "); re-run corotidy-index");
  Facts F;
  F.Version = Number;
  for (const YAML::Node &T : sequence(Root, "translation_units")) {
    TranslationUnit Unit;
    Unit.File = text(T, "file");
    Unit.Parsed = flag(T, "parsed");
    if (T["message"])
      Unit.Message = text(T, "message");
    if (T["includes"]) {
      Unit.IncludesKnown = true;
      Unit.Includes = usrs(T, "includes");
    }
    if (T["missing_includes"])
      Unit.MissingIncludes = usrs(T, "missing_includes");
    F.TranslationUnits.push_back(std::move(Unit));
  }
  for (const YAML::Node &H : sequence(Root, "files"))
    F.Files.push_back({text(H, "path"), text(H, "hash")});
  for (const YAML::Node &I : sequence(Root, "interfaces"))
    F.Interfaces.push_back(readInterface(I));
  for (const YAML::Node &C : sequence(Root, "coroutines")) {
    SourceCoroutine Coroutine{text(C, "usr"), text(C, "name"), location(C), {}};
    for (const YAML::Node &M : sequence(C, "move_blockers"))
      Coroutine.MoveBlockers.push_back({text(M, "kind"), text(M, "detail"), location(M)});
    F.Coroutines.push_back(std::move(Coroutine));
  }
  return F;
}

} // namespace

std::string toYaml(const Facts &F) {
  YAML::Emitter Out;
  Out << YAML::BeginMap;
  Out << YAML::Key << "version" << YAML::Value << F.Version;
  Out << YAML::Key << "translation_units" << YAML::Value << YAML::BeginSeq;
  for (const TranslationUnit &T : F.TranslationUnits) {
    Out << YAML::BeginMap;
    emit(Out, "file", T.File);
    Out << YAML::Key << "parsed" << YAML::Value << T.Parsed;
    if (!T.Message.empty())
      emit(Out, "message", T.Message);
    if (!T.Parsed && T.IncludesKnown) {
      Out << YAML::Key << "includes" << YAML::Value << YAML::BeginSeq;
      for (const std::string &Path : T.Includes)
        Out << YAML::DoubleQuoted << Path;
      Out << YAML::EndSeq;
    }
    if (!T.Parsed && !T.MissingIncludes.empty()) {
      Out << YAML::Key << "missing_includes" << YAML::Value << YAML::BeginSeq;
      for (const std::string &Name : T.MissingIncludes)
        Out << YAML::DoubleQuoted << Name;
      Out << YAML::EndSeq;
    }
    Out << YAML::EndMap;
  }
  Out << YAML::EndSeq;
  Out << YAML::Key << "files" << YAML::Value << YAML::BeginSeq;
  for (const FileHash &H : F.Files) {
    Out << YAML::BeginMap;
    emit(Out, "path", H.Path);
    emit(Out, "hash", H.Hash);
    Out << YAML::EndMap;
  }
  Out << YAML::EndSeq;
  Out << YAML::Key << "interfaces" << YAML::Value << YAML::BeginSeq;
  for (const Interface &I : F.Interfaces)
    emitInterface(Out, I);
  Out << YAML::EndSeq;
  Out << YAML::Key << "coroutines" << YAML::Value << YAML::BeginSeq;
  for (const SourceCoroutine &C : F.Coroutines) {
    Out << YAML::BeginMap;
    emit(Out, "usr", C.Usr);
    emit(Out, "name", C.Name);
    emit(Out, "location", where(C.Where));
    emitEvidence(Out, "move_blockers", C.MoveBlockers);
    Out << YAML::EndMap;
  }
  Out << YAML::EndSeq << YAML::EndMap;
  return std::string(Out.c_str()) + "\n";
}

std::optional<Facts> fromYaml(const std::string &Text, const std::string &Origin,
                              std::string &Error) {
  try {
    return readFacts(YAML::Load(Text));
  } catch (const ReadError &E) {
    Error = Origin + ": " + E.what();
  } catch (const YAML::Exception &E) {
    Error = Origin + ": malformed YAML: " + E.what();
  } catch (const std::exception &E) {
    Error = Origin + ": " + E.what();
  }
  return std::nullopt;
}

} // namespace corotidy::index
