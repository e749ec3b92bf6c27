// The answers of a group of respondents to one model, stored as a dense
// respondent x item matrix so that scoring is a few linear passes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cxm::core {

// Stored value for "not answered" and "don't know": both are missing.
inline constexpr std::int8_t kMissing = INT8_MIN;

struct Respondent {
  std::string id;
  std::string role;  // a Model role id, or empty
  std::string unit;  // free text, or empty
  // Answers the facilitator supplied (an imported row), not the person's
  // own: they never count towards anyone's minimum group (SPEC section 8).
  bool supplied = false;
};

class Responses {
 public:
  explicit Responses(std::size_t item_count) : item_count_(item_count) {}

  // Adds a respondent with every answer missing; returns its row.
  std::size_t add(Respondent respondent) {
    respondents_.push_back(std::move(respondent));
    answers_.resize(answers_.size() + item_count_, kMissing);
    return respondents_.size() - 1;
  }

  // `value` must be a point of the model's scale, or kMissing.
  void set(std::size_t row, std::size_t item, std::int8_t value) {
    answers_[row * item_count_ + item] = value;
  }
  std::int8_t at(std::size_t row, std::size_t item) const {
    return answers_[row * item_count_ + item];
  }
  const std::int8_t* row(std::size_t r) const { return answers_.data() + r * item_count_; }

  std::size_t size() const { return respondents_.size(); }
  std::size_t item_count() const { return item_count_; }
  const Respondent& respondent(std::size_t row) const { return respondents_[row]; }
  const std::vector<Respondent>& respondents() const { return respondents_; }

 private:
  std::size_t item_count_;
  std::vector<Respondent> respondents_;
  std::vector<std::int8_t> answers_;
};

}  // namespace cxm::core
