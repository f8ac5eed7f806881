// MemoryRecorder's tables: kept by name, rows appended by column name, skipped on request.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/Recorder.hpp"
#include "core/Table.hpp"

using namespace interdict;

namespace {

struct Row {
  double time;
  std::string id;
};

Table log_of(const std::vector<Row>& rows) {
  return Table{"log",
               "entry",
               {column_of("time", "days", "when", rows, [](const Row& r) { return r.time; }),
                column_of("id", "", "what", rows, [](const Row& r) { return r.id; })}};
}

}  // namespace

TEST_CASE("tables are kept by name, and later reports add rows", "[recorder]") {
  MemoryRecorder r;
  CHECK(r.wants_table("log"));
  r.table(log_of({}));  // the columns, before anything happened
  REQUIRE(r.find_table("log") != nullptr);
  CHECK(r.find_table("log")->rows() == 0);
  CHECK(r.find_table("log")->columns.size() == 2);
  Table second = log_of({{2.5, "b"}});
  second.columns.push_back(Column{"extra", "1", "only some rows have it", {7.0}});
  r.table(log_of({{1.0, "a"}}));
  r.table(std::move(second));
  r.table(log_of({{4.0, "c"}}));
  const Table& log = *r.find_table("log");
  CHECK(log.rows() == 3);
  CHECK(log.column("time")->numbers == std::vector<double>{1.0, 2.5, 4.0});
  CHECK(log.column("time")->unit == "days");
  CHECK(log.column("id")->strings == std::vector<std::string>{"a", "b", "c"});
  const auto& extra = log.column("extra")->numbers;  // NaN where a row lacks it
  REQUIRE(extra.size() == 3);
  CHECK(std::isnan(extra[0]));
  CHECK(extra[1] == 7.0);
  CHECK(std::isnan(extra[2]));
  CHECK(r.find_table("other") == nullptr);
}

TEST_CASE("skipped tables are neither wanted nor kept, nor those under them", "[recorder]") {
  MemoryRecorder r;
  r.skip_tables("network");
  CHECK_FALSE(r.wants_table("network"));
  CHECK_FALSE(r.wants_table("network/nodes"));
  CHECK(r.wants_table("networks"));
  CHECK(r.wants_table("log"));
  r.table(Table{"network/nodes", "node", {Column{"id", "", "", {}, {"a"}, true}}});
  CHECK(r.tables().empty());
}

TEST_CASE("rows that change a column's kind, repeat a column or differ in length are refused",
          "[recorder]") {
  Table log = log_of({{1.0, "a"}});
  Table text_time = log_of({});
  text_time.columns[0] = Column{"time", "", "", {}, {"soon"}, true};
  text_time.columns[1].strings = {"b"};
  CHECK_THROWS_AS(log.append(text_time), std::invalid_argument);
  Table ragged = log_of({{2.0, "b"}});
  ragged.columns[1].strings.push_back("c");
  CHECK_THROWS_AS(log.append(ragged), std::invalid_argument);
  for (const char* name : {"id", "new"}) {
    Table twice = log_of({{2.0, "b"}});
    twice.columns.push_back(Column{name, "", "", {}, {"x"}, true});
    twice.columns.push_back(Column{name, "", "", {}, {"y"}, true});
    CHECK_THROWS_AS(log.append(twice), std::invalid_argument);
  }
  // Nothing was appended by the refused rows.
  CHECK(log.rows() == 1);
  CHECK(log.columns.size() == 2);
  CHECK(log.column("time")->numbers == std::vector<double>{1.0});
}
