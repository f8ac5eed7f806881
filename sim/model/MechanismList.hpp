// MechanismList: the model's mechanisms, built in the order they are listed.
#pragma once

#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>

#include "model/ModelContext.hpp"

namespace interdict::model {

/// The mechanisms a mechanism M is built from besides the ModelContext: `M::Needs`, a
/// std::tuple of mechanism types (its constructor takes references to them, in that order), or
/// none if M does not say.
template <class M>
struct NeedsOf {
  using type = std::tuple<>;
};
template <class M>
requires requires {
  typename M::Needs;
}
struct NeedsOf<M> {
  using type = typename M::Needs;
};

/// Owns one object of each mechanism type Ms, built in list order from the ModelContext and the
/// mechanisms each one needs, which must be listed before it (checked at compile time). Being
/// built in this order, the mechanisms register their handlers, connect to the model's signals
/// and schedule their first events in this order too: the list fixes who hears a signal first,
/// and so keeps runs reproducible. No registry, no macros: the list is a type.
template <class... Ms>
class MechanismList {
 public:
  explicit MechanismList(ModelContext& context) { (build<Ms>(context), ...); }

  MechanismList(const MechanismList&) = delete;
  MechanismList& operator=(const MechanismList&) = delete;

  template <class M>
  M& get() {
    return *std::get<std::optional<M>>(mechanisms_);
  }
  template <class M>
  const M& get() const {
    return *std::get<std::optional<M>>(mechanisms_);
  }

  /// Calls visit(std::type_identity<M>{}) for each mechanism type, in list order (for what
  /// mechanisms declare without an object, such as their metrics).
  template <class Visit>
  static void each_type(Visit&& visit) {
    (visit(std::type_identity<Ms>{}), ...);
  }

 private:
  /// Position of M in the list.
  template <class M>
  static constexpr std::size_t index_of() {
    std::size_t index = 0;
    bool found = false;
    ((found = found || std::is_same_v<M, Ms>, index += found ? 0 : 1), ...);
    return index;
  }

  template <class M>
  void build(ModelContext& context) {
    [&]<class... Needed>(std::type_identity<std::tuple<Needed...>>) {
      static_assert(((index_of<Needed>() < index_of<M>()) && ...),
                    "a mechanism is built from mechanisms listed before it");
      std::get<std::optional<M>>(mechanisms_).emplace(context, get<Needed>()...);
    }(std::type_identity<typename NeedsOf<M>::type>{});
  }

  std::tuple<std::optional<Ms>...> mechanisms_;
};

}  // namespace interdict::model
