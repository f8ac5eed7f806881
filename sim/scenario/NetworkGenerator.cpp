// NetworkGenerator: places, roads, sea legs, organisations and enforcement drawn at random.
#include "scenario/NetworkGenerator.hpp"

#include <nanoflann.hpp>

#include <algorithm>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <memory>
#include <numeric>
#include <set>

#include "core/RandomStreams.hpp"
#include "scenario/Scenario.hpp"

namespace interdict::scenario {

namespace {

using namespace interdict::model;

constexpr double kSide = 1000.0;  // km
constexpr double kKmPerDegree = 111.0;
constexpr double kRoadSpeedKmPerDay = 50.0 * 24.0;

struct Point {
  double x;
  double y;
};

double distance(const Point& a, const Point& b) {
  return std::hypot(a.x - b.x, a.y - b.y);
}

/// Points as nanoflann's k-d tree reads them.
struct PointCloud {
  std::vector<Point> points;
  std::size_t kdtree_get_point_count() const { return points.size(); }
  double kdtree_get_pt(std::size_t i, std::size_t dim) const {
    return dim == 0 ? points[i].x : points[i].y;
  }
  template <class Box>
  bool kdtree_get_bbox(Box&) const {
    return false;
  }
};

/// Neighbour queries over a fixed set of points in O(log n) each (a k-d tree, nanoflann),
/// answering exactly as a scan of every point with `distance` would.
class Neighbours {
 public:
  explicit Neighbours(std::vector<Point> points)
      : cloud_{std::move(points)},
        tree_(2, cloud_, nanoflann::KDTreeSingleIndexAdaptorParams(10)) {}

  /// The `count` points nearest to `p` by (distance, index), nearest first: the tree's squared
  /// distances may order near-ties differently in the last bit, so a few more are fetched and
  /// ranked as the scan ranks them.
  std::vector<std::size_t> nearest(const Point& p, std::size_t count) const {
    const std::size_t fetch = std::min(count + 4, cloud_.points.size());
    std::vector<std::size_t> index(fetch);
    std::vector<double> squared(fetch);
    const double query[2] = {p.x, p.y};
    index.resize(tree_.knnSearch(query, fetch, index.data(), squared.data()));
    const auto away = [&](std::size_t i) { return distance(p, cloud_.points[i]); };
    std::sort(index.begin(), index.end(), [&](std::size_t a, std::size_t b) {
      return away(a) < away(b) || (away(a) == away(b) && a < b);
    });
    index.resize(std::min(count, index.size()));
    return index;
  }

  /// The points within `radius` of `p` (distance <= radius), in index order.
  std::vector<std::size_t> within(const Point& p, double radius) const {
    std::vector<std::pair<std::size_t, double>> found;
    const double query[2] = {p.x, p.y};
    // A little wider than the radius, then the exact test.
    tree_.radiusSearch(query, radius * radius * (1.0 + 1e-9) + 1e-12, found,
                       nanoflann::SearchParams());
    std::vector<std::size_t> out;
    for (const auto& [i, squared] : found)
      if (distance(p, cloud_.points[i]) <= radius) out.push_back(i);
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  PointCloud cloud_;
  nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, PointCloud>, PointCloud,
                                      2, std::size_t>
      tree_;
};

class Builder {
 public:
  Builder(const GeneratorSpec& g, const SpecDefaults& defaults, ModelSpec& spec)
      : g_(g),
        defaults_(defaults),
        spec_(spec),
        rng_(RandomStreams(g.seed, 0).stream("generate")) {}

  void build() {
    make_places();
    make_roads();
    make_sea_legs();
    make_organisations();
    make_cells();
    make_vessels();
    make_relays();
    make_sources_and_markets();
    make_enforcement();
  }

 private:
  double uniform() { return u_(rng_); }
  std::size_t pick(std::size_t n) {
    return boost::random::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  std::size_t add_place(const std::string& id, PlaceKind kind, Point p) {
    PlaceSpec place = defaults_.place;
    place.id = id;
    place.name = id;
    place.kind = kind;
    place.region = "synthetic";
    place.latitude = p.y / kKmPerDegree;
    place.longitude = p.x / kKmPerDegree;
    spec_.places.push_back(place);
    points_.push_back(p);
    return spec_.places.size() - 1;
  }

  void make_places() {
    for (int i = 0; i < g_.places; ++i) {
      const bool port = i < g_.ports;
      const bool border = i >= g_.ports && i < g_.ports + g_.markets;
      Point p{uniform() * kSide, uniform() * kSide};
      if (port) p.x = 0.0;
      if (border) p.y = kSide;
      const PlaceKind kind = port ? PlaceKind::port : border ? PlaceKind::border : PlaceKind::town;
      land_.push_back(add_place((port     ? "port-"
                                 : border ? "border-"
                                          : "town-") +
                                    std::to_string(i),
                                kind, p));
    }
    for (int s = 0; s < g_.sources; ++s)
      offshore_.push_back(add_place("offshore-" + std::to_string(s), PlaceKind::source,
                                    {-300.0, uniform() * kSide}));
  }

  /// A route with lognormal travel times of the given mean and coefficient of variation.
  void add_route(const char* prefix, std::size_t from, std::size_t to, RouteMode mode, double km,
                 double days, double cv) {
    RouteSpec route = defaults_.route;
    route.id = prefix + spec_.places[from].id + "-" + spec_.places[to].id;
    route.from = from;
    route.to = to;
    route.mode = mode;
    route.length_km = km;
    route.distribution = TravelTimeDistribution::lognormal;
    route.mean_days = days;
    route.sd_days = cv * days;
    spec_.routes.push_back(std::move(route));
  }

  /// Neighbour queries over the land places (indices in land_ order), built once.
  const Neighbours& land_neighbours() {
    if (!land_neighbours_) {
      std::vector<Point> at;
      at.reserve(land_.size());
      for (std::size_t p : land_)
        at.push_back(points_[p]);
      land_neighbours_ = std::make_unique<Neighbours>(std::move(at));
    }
    return *land_neighbours_;
  }

  void add_road(std::size_t a, std::size_t b) {
    if (a == b || !roads_.insert({std::min(a, b), std::max(a, b)}).second) return;
    const double km = distance(points_[a], points_[b]);
    const double days = std::max(km / kRoadSpeedKmPerDay, 0.02);
    add_route("road-", a, b, RouteMode::land, km, days, 0.25);
    add_route("road-", b, a, RouteMode::land, km, days, 0.25);
  }

  void make_roads() {
    const std::size_t n = land_.size();
    const auto k = static_cast<std::size_t>(std::max(1, g_.degree));
    if (g_.topology == Topology::geometric) {
      // Each place's k/2 + 1 nearest (itself among them), ties to the earlier place.
      const Neighbours& neighbours = land_neighbours();
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j : neighbours.nearest(points_[land_[i]], std::min(k / 2 + 1, n)))
          add_road(land_[i], land_[j]);
    } else if (g_.topology == Topology::small_world) {
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 1; j <= k / 2; ++j)
          add_road(land_[i], land_[uniform() < 0.1 ? pick(n) : (i + j) % n]);
    } else {
      std::vector<std::size_t> ends;  // each place once per road end: preferential attachment
      const std::size_t m = std::max<std::size_t>(1, k / 2);
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t e = 0; e < m && i > 0; ++e) {
          const std::size_t j = ends.empty() ? 0 : ends[pick(ends.size())];
          add_road(land_[i], land_[j]);
          ends.push_back(i);
          ends.push_back(j);
        }
        if (ends.empty() && i > 0) ends.push_back(i);
      }
    }
    // A north-south backbone keeps every place reachable.
    std::vector<std::size_t> by_y(land_);
    std::sort(by_y.begin(), by_y.end(),
              [&](std::size_t a, std::size_t b) { return points_[a].y < points_[b].y; });
    for (std::size_t i = 1; i < by_y.size(); ++i)
      add_road(by_y[i - 1], by_y[i]);
  }

  void make_sea_legs() {
    for (std::size_t s : offshore_) {
      for (int p = 0; p < g_.ports; ++p) {
        const std::size_t port = land_[static_cast<std::size_t>(p)];
        const double km = distance(points_[s], points_[port]);
        add_route("sea-", s, port, RouteMode::sea, km, km / (30.0 * 24.0), 0.2);
      }
    }
  }

  void make_organisations() {
    for (int o = 0; o < g_.organisations; ++o) {
      OrganisationSpec org = defaults_.organisation;
      org.id = "org-" + std::to_string(o);
      org.name = "Organisation " + std::to_string(o);
      org.capital = 1e8;
      spec_.organisations.push_back(org);
    }
  }

  void make_cells() {
    const auto orgs = static_cast<std::size_t>(g_.organisations);
    std::vector<std::vector<std::size_t>> cells_of_org(orgs);
    for (int c = 0; c < g_.cells; ++c) {
      const auto index = static_cast<std::size_t>(c);
      const std::size_t place = land_[index % land_.size()];
      const std::size_t org = (index / land_.size()) % orgs;
      CellSpec cell = defaults_.cell;
      cell.id = "cell-" + std::to_string(c);
      cell.organisation = org;
      cell.place = place;
      cell.members = {1, 1, 2, 1};
      spec_.cells.push_back(std::move(cell));
      cells_of_org[org].push_back(index);
    }
    for (auto& members : cells_of_org) {
      for (std::size_t i = 0; i < members.size(); ++i) {
        // Two ties to the organisation's cells at the nearest places (by index order of
        // places, which is random in space), and one at random.
        auto& ties = spec_.cells[members[i]].ties;
        for (std::size_t t : {i + 1, i + 2, pick(members.size())})
          if (members.size() > 1 && members[t % members.size()] != members[i])
            ties.push_back(members[t % members.size()]);
      }
    }
    for (std::size_t c = 0; c < spec_.cells.size(); ++c)
      for (std::size_t other : std::vector<std::size_t>(spec_.cells[c].ties))
        if (std::find(spec_.cells[other].ties.begin(), spec_.cells[other].ties.end(), c) ==
            spec_.cells[other].ties.end())
          spec_.cells[other].ties.push_back(c);
  }

  void make_vessels() {
    for (int v = 0; v < g_.vessels; ++v) {
      const auto index = static_cast<std::size_t>(v);
      VesselSpec vessel = defaults_.vessel;
      vessel.id = "vessel-" + std::to_string(v);
      vessel.organisation = index % static_cast<std::size_t>(g_.organisations);
      vessel.type = VesselType::go_fast;
      vessel.home = land_[index % static_cast<std::size_t>(g_.ports)];
      vessel.capacity_kg = 1000.0;
      vessel.speed_kmh = 45.0;
      spec_.vessels.push_back(std::move(vessel));
    }
  }

  void make_relays() {
    const auto orgs = static_cast<std::size_t>(g_.organisations);
    const double per_org =
        std::max(1.0, static_cast<double>(g_.relays) / static_cast<double>(orgs));
    const double radius = 1.2 * kSide / std::sqrt(per_org);
    const Neighbours& neighbours = land_neighbours();
    for (int r = 0; r < g_.relays; ++r) {
      const auto index = static_cast<std::size_t>(r);
      RelaySpec relay = defaults_.relay;
      relay.id = "relay-" + std::to_string(r);
      relay.organisation = index % orgs;
      relay.place = land_[pick(land_.size())];
      relay.kind = index < orgs ? RelayKind::control_centre : RelayKind::antenna;
      for (std::size_t i : neighbours.within(points_[relay.place], radius))
        relay.covers.push_back(land_[i]);
      spec_.relays.push_back(relay);
    }
    link_relays();
  }

  /// Links each relay to the three nearest of its organisation (a k-d tree per organisation).
  void link_relays() {
    const auto orgs = static_cast<std::size_t>(g_.organisations);
    std::vector<std::vector<std::size_t>> members(orgs);  // relays by organisation, in order
    for (std::size_t r = 0; r < spec_.relays.size(); ++r)
      members[spec_.relays[r].organisation].push_back(r);
    for (const std::vector<std::size_t>& same : members) {
      std::vector<Point> at;
      for (std::size_t r : same)
        at.push_back(points_[spec_.relays[r].place]);
      const Neighbours neighbours(at);
      for (std::size_t i = 0; i < same.size(); ++i)
        spec_.relays[same[i]].links = nearest_relays(same, neighbours, i);
    }
  }

  /// The (up to) three relays of `same` nearest to same[i], nearest first. Where distances tie
  /// among the first four, their order is that of a partial sort of every relay of the
  /// organisation by distance, as the generator has always linked them.
  std::vector<std::size_t> nearest_relays(const std::vector<std::size_t>& same,
                                          const Neighbours& neighbours, std::size_t i) const {
    const std::size_t r = same[i];
    const Point& here = points_[spec_.relays[r].place];
    const auto away = [&](std::size_t q) { return distance(points_[spec_.relays[q].place], here); };
    std::vector<std::size_t> found;  // the five nearest, itself among them
    for (std::size_t k : neighbours.nearest(here, std::min<std::size_t>(5, same.size())))
      if (same[k] != r) found.push_back(same[k]);
    const std::size_t wanted = std::min<std::size_t>(3, same.size() - 1);
    bool tie = false;
    for (std::size_t k = 1; k < std::min(wanted + 1, found.size()); ++k)
      tie = tie || away(found[k]) == away(found[k - 1]);
    if (!tie) {
      found.resize(wanted);
      return found;
    }
    std::vector<std::size_t> others;
    for (std::size_t q : same)
      if (q != r) others.push_back(q);
    std::partial_sort(others.begin(), others.begin() + static_cast<std::ptrdiff_t>(wanted),
                      others.end(),
                      [&](std::size_t a, std::size_t b) { return away(a) < away(b); });
    others.resize(wanted);
    return others;
  }

  void make_sources_and_markets() {
    for (int m = 0; m < g_.markets; ++m) {
      MarketSpec market = defaults_.market;
      market.id = "market-" + std::to_string(m);
      market.place = land_[static_cast<std::size_t>(g_.ports + m)];
      market.price_per_kg = 20000.0;
      spec_.markets.push_back(std::move(market));
    }
    for (int s = 0; s < g_.sources; ++s) {
      const auto index = static_cast<std::size_t>(s);
      SourceSpec source = defaults_.source;
      source.id = "source-" + std::to_string(s);
      source.place = offshore_[index];
      source.market = index % static_cast<std::size_t>(g_.markets);
      source.organisation = index % static_cast<std::size_t>(g_.organisations);
      source.rate_per_day = g_.shipment_rate;
      source.size_mean_kg = 500.0;
      source.size_sd_kg = 200.0;
      source.buy_price_per_kg = 4500.0;
      spec_.sources.push_back(std::move(source));
    }
  }

  void make_enforcement() {
    for (const auto& [id, kind] :
         {std::pair{"navy", AgencyKind::navy}, std::pair{"police", AgencyKind::police}}) {
      AgencySpec agency = defaults_.agency;
      agency.id = id;
      agency.kind = kind;
      spec_.agencies.push_back(std::move(agency));
    }
    std::vector<std::size_t> sea;
    std::vector<std::size_t> land;
    for (std::size_t r = 0; r < spec_.routes.size(); ++r)
      (spec_.routes[r].mode == RouteMode::sea ? sea : land).push_back(r);
    for (int p = 0; p < g_.patrols; ++p) {
      const bool at_sea = p % 2 == 0 && !sea.empty();
      PatrolSpec patrol = defaults_.patrol;
      patrol.id = "patrol-" + std::to_string(p);
      patrol.route = at_sea ? sea[pick(sea.size())] : land[pick(land.size())];
      patrol.agency = at_sea ? 0 : 1;
      if (at_sea) {
        patrol.intensity = 0.3;
      } else {
        patrol.detection_probability = 0.05;
      }
      spec_.patrols.push_back(patrol);
    }
  }

  const GeneratorSpec& g_;
  const SpecDefaults& defaults_;
  ModelSpec& spec_;
  RandomEngine rng_;
  boost::random::uniform_01<double> u_;
  std::vector<Point> points_;
  std::vector<std::size_t> land_;
  std::vector<std::size_t> offshore_;
  std::set<std::pair<std::size_t, std::size_t>> roads_;
  std::unique_ptr<Neighbours> land_neighbours_;  // holds a tree over its own points: not moved
};

}  // namespace

model::ModelSpec generate_network(const GeneratorSpec& generator, const SpecDefaults& defaults) {
  ModelSpec spec = defaults.model;
  Builder(generator, defaults, spec).build();
  return spec;
}

}  // namespace interdict::scenario
