#include "graph/errors.hpp"
#include "pe/encoding_registry.hpp"
#include "pe/encoding_spec.hpp"

#include <catch2/catch.hpp>

using namespace graphtx;
using Catch::Contains;

TEST_CASE("Encoding specs parse with defaults filled in and canonical text", "[pe][spec]") {
  const EncodingSpec lap = parse_encoding_spec("lap:k=8,norm=rw");
  CHECK(lap.name == "lap");
  CHECK(lap.label == "lap");
  CHECK(lap.get_int("k") == 8);
  CHECK(lap.get("norm") == "rw");
  CHECK_FALSE(lap.get_bool("drop_trivial"));
  CHECK(to_string(lap) == "lap:k=8,norm=rw,drop_trivial=0,solver=auto");

  CHECK(to_string(parse_encoding_spec("maglap:k=16,q=0.25,qrel=1,norm=sym")) ==
        "maglap:k=16,q=0.25,qrel=1,norm=sym,weighted=0,solver=auto");
  CHECK(to_string(parse_encoding_spec("rwse:K=16")) == "rwse:K=16");
  CHECK(to_string(parse_encoding_spec("rwse")) == "rwse:K=16");
  CHECK(to_string(parse_encoding_spec("drw:K=3,ppr=0.05")) == "drw:K=3,ppr=0.05,pairs=edges");
  CHECK(to_string(parse_encoding_spec("rrwp:K=8")) == "rrwp:K=8,pairs=edges");
  CHECK(to_string(parse_encoding_spec("spd:pairs=all,max=20")) == "spd:max=20,pairs=all");
  // Values are canonicalized: numbers, booleans.
  const EncodingSpec q = parse_encoding_spec("maglap:q=2.50e-1,qrel=false,k=015");
  CHECK(q.get("q") == "0.25");
  CHECK(q.get_double("q") == 0.25);
  CHECK(q.get("qrel") == "0");
  CHECK(q.get_int("k") == 15);
  CHECK(parse_encoding_spec("drw:ppr=0.1").get_double("ppr") == 0.1);
}

TEST_CASE("Encoding spec labels and round trips", "[pe][spec]") {
  const EncodingSpec s = parse_encoding_spec("small=lap:k=8");
  CHECK(s.label == "small");
  CHECK(s.name == "lap");
  CHECK(to_string(s) == "small=lap:k=8,norm=sym,drop_trivial=0,solver=auto");
  CHECK(parse_encoding_spec("walk=rwse").label == "walk");
  for (const std::string text : {"small=lap:k=8", "maglap:q=0.1,qrel=0,norm=comb,weighted=1,solver=dense",
                                 "rwse:K=3", "drw:K=5,ppr=0.125,pairs=all", "x-1=rrwp:K=2", "spd:max=0"}) {
    const EncodingSpec parsed = parse_encoding_spec(text);
    const EncodingSpec again = parse_encoding_spec(to_string(parsed));
    CHECK(again == parsed);
    CHECK(to_string(again) == to_string(parsed));
  }
}

TEST_CASE("Encoding spec errors name the problem and list the valid keys", "[pe][spec]") {
  CHECK_THROWS_WITH(parse_encoding_spec("lapx:k=3"), Contains("unknown encoding 'lapx'") && Contains("lap, maglap, rwse, drw, rrwp, spd"));
  CHECK_THROWS_WITH(parse_encoding_spec("rwse:k=3"), Contains("unknown key 'k'") && Contains("rwse:K=16"));
  CHECK_THROWS_WITH(parse_encoding_spec("lap:kk=3"),
                    Contains("k=16, norm=sym (sym|comb|rw), drop_trivial=0 (0|1), solver=auto (auto|dense|sparse)"));
  CHECK_THROWS_WITH(parse_encoding_spec("lap:k=0"), Contains("bad value '0' for key 'k'"));
  CHECK_THROWS_WITH(parse_encoding_spec("lap:k=2.5"), Contains("bad value '2.5'"));
  CHECK_THROWS_WITH(parse_encoding_spec("lap:norm=foo"), Contains("expected sym|comb|rw"));
  CHECK_THROWS_WITH(parse_encoding_spec("maglap:norm=rw"), Contains("expected sym|comb"));
  CHECK_THROWS_WITH(parse_encoding_spec("maglap:q=nan"), Contains("bad value 'nan' for key 'q'"));
  CHECK_THROWS_WITH(parse_encoding_spec("maglap:q=-1"), Contains("bad value"));
  CHECK_THROWS_WITH(parse_encoding_spec("drw:ppr=0"), Contains("(0, 1]"));
  CHECK_THROWS_WITH(parse_encoding_spec("drw:ppr=1.5"), Contains("bad value"));
  CHECK_THROWS_WITH(parse_encoding_spec("lap:drop_trivial=2"), Contains("expected 0 or 1"));
  CHECK_THROWS_WITH(parse_encoding_spec("spd:pairs=some"), Contains("expected edges|all"));
  CHECK_THROWS_WITH(parse_encoding_spec("rwse:K=3,K=4"), Contains("given twice"));
  CHECK_THROWS_WITH(parse_encoding_spec("rwse:K"), Contains("expected key=value"));
  CHECK_THROWS_WITH(parse_encoding_spec("rwse:"), Contains("expected key=value"));
  CHECK_THROWS_WITH(parse_encoding_spec("rwse:K=3,"), Contains("expected key=value"));
  CHECK_THROWS_WITH(parse_encoding_spec("rwse:K=99999999999999999999"), Contains("bad value"));
  CHECK_THROWS_WITH(parse_encoding_spec("1a=rwse"), Contains("bad label '1a'"));
  CHECK_THROWS_WITH(parse_encoding_spec("a.b=rwse"), Contains("bad label"));
  CHECK_THROWS_WITH(parse_encoding_spec(""), Contains("unknown encoding ''"));
  CHECK_THROWS_AS(parse_encoding_spec("rwse:K= 3"), UsageError);
  CHECK_THROWS_AS(parse_encoding_spec("rwse").get("k"), UsageError);
}

TEST_CASE("Duplicate labels in one run are refused", "[pe][spec]") {
  CHECK(parse_encoding_specs({"lap", "rwse", "small=lap:k=4"}).size() == 3);
  CHECK_THROWS_WITH(parse_encoding_specs({"lap:k=8", "lap:k=4"}), Contains("label 'lap' is already used"));
  CHECK_THROWS_AS(parse_encoding_specs({"a=rwse", "a=spd"}), UsageError);
}

TEST_CASE("The registry lists every encoding and key for --help", "[pe][spec]") {
  const std::string help = encoding_help();
  for (const EncodingInfo& info : encoding_registry()) {
    CHECK_THAT(help, Contains("  " + info.name + "  "));
    for (const EncodingKey& key : info.keys) CHECK_THAT(help, Contains(key.name + "=" + key.default_value));
    // Defaults parse: the bare name is a valid spec whose values are the defaults.
    const EncodingSpec s = parse_encoding_spec(info.name);
    REQUIRE(s.params.size() == info.keys.size());
    for (size_t i = 0; i < info.keys.size(); ++i) CHECK(s.params[i].second == info.keys[i].default_value);
  }
  CHECK(encoding_registry().size() == 6);
}
