// The form in which a survey tool's respondent ids are compared, so that
// one person imported twice is caught however the id was retyped
// (docs/import.md, "The same respondent twice").
#pragma once

#include <string>
#include <string_view>

namespace cxm::answers {

// `id` as duplicate detection compares it. Two ids are the same respondent
// when their keys are equal. The key is `id`
//  - without invisible characters: format characters (Unicode category Cf:
//    zero-width space, joiners and non-joiners, the byte order mark, the
//    soft hyphen, direction marks ...), other default-ignorable code points
//    (variation selectors, fillers) and control characters that are not
//    white space;
//  - in Unicode normalization form NFKC (compatibility forms as their plain
//    letters and digits: full-width "Ｒ１" is "R1"), then case-folded ("R1"
//    is "r1", "Straße" is "strasse"), then NFKC again;
//  - with every run of white space as one space;
//  - without white space or punctuation (Unicode category P: . , ; : ! ?
//    - _ ' " brackets, @ # ...) at either end: "r1.", "(r1)" and " r1 " are
//    "r1". Punctuation inside an id stays ("r-1" is not "r1"), and an id of
//    punctuation only keeps it ("-" is not "." and not empty).
// An id that is not well-formed UTF-8 is compared byte for byte: its key is
// the id itself behind a 0xFF byte, which no key of well-formed text holds.
// Pure; never throws for any input (std::bad_alloc aside).
std::string respondent_key(std::string_view id);

}  // namespace cxm::answers
