#include "cli/assess_text.h"

#include <array>

namespace cxm::cli {
namespace {

using Texts = std::array<std::string_view, static_cast<std::size_t>(AssessKey::count_)>;

// In the order of AssessKey.
constexpr Texts kEnglish = {
    "{0} statements, about {1} minutes. Rate each one for your organization as it is today.",
    ", pulse check",
    "A pulse asks a few statements per competency: it shows movement, not a stage.",
    "Answers:",
    "Keys:     ? explain the terms of a statement, b back to the previous one, q quit.",
    "Your answers are saved to {0} as you go;\nrun the same command again to continue.",
    "Resuming: {0} of {1} answered.",
    "Your role?",
    "  (Enter to skip): ",
    "Please type a number from 1 to {0}, or press Enter.",
    "This is the first statement.",
    "Please answer {0}-{1}{2}, ? (terms), b (back) or q (quit).",
    "(? explains: {0})",
    "This statement uses no glossary terms.",
    "(current answer: {0})",
    "Your answer [{0}]: ",
    "(Optional. What you write may identify you: leave out names and details only you would "
    "know.)",
    "(current comment: {0})",
    "Comment (Enter to skip{0}, - to remove): ",
    " and keep it",
    "The comment {0}. Please write it again.",
    "{0}: cannot save the answers",
    "Interrupted. {0} of {1} answers are saved in {2}. Run cxm assess --out {2} to continue.",
    "Stopped. {0} of {1} answers are saved in {2}. Run cxm assess --out {2} to continue.",
    "Thank you. Your result:",
    "CX maturity: stage {0} of {1}, {2}",
    "(too few answers to be sure)",
    "Overall score: {0} of 100",
    "Key obstacle: {0}",
    "By competency:",
    "  {0}: stage {1}, {2} (score {3})",
    "  {0}: too few answers",
    "Next-stage gaps (to reach {0} {1}):",
    "worded in reverse",
    "A pulse shows movement between cycles, not a stage.",
    "Your answers are in {0}. Combine several people's answers and run cxm score to see where "
    "your team agrees and disagrees.",
};

// German: formal "Sie", the stage and competency names from the model's
// German translation.
constexpr Texts kGerman = {
    "{0} Aussagen, etwa {1} Minuten. Bewerten Sie jede Aussage für Ihre Organisation, wie sie "
    "heute ist.",
    ", Pulse-Check",
    "Ein Pulse-Check stellt wenige Aussagen je Kompetenz: Er zeigt Veränderungen, keine "
    "Stufe.",
    "Antworten:",
    "Tasten:   ? erklärt die Begriffe einer Aussage, b zurück zur vorigen, q beenden.",
    "Ihre Antworten werden laufend in {0} gespeichert;\nmit demselben Befehl setzen Sie "
    "später fort.",
    "Fortsetzung: {0} von {1} beantwortet.",
    "Ihre Rolle?",
    "  (Eingabetaste: überspringen): ",
    "Bitte geben Sie eine Zahl von 1 bis {0} ein oder drücken Sie die Eingabetaste.",
    "Dies ist die erste Aussage.",
    "Bitte antworten Sie mit {0}-{1}{2}, ? (Begriffe), b (zurück) oder q (beenden).",
    "(? erklärt: {0})",
    "Diese Aussage verwendet keine Begriffe aus dem Glossar.",
    "(bisherige Antwort: {0})",
    "Ihre Antwort [{0}]: ",
    "(Freiwillig. Was Sie schreiben, kann Sie erkennbar machen: Lassen Sie Namen und Details "
    "weg, die nur Sie kennen.)",
    "(bisheriger Kommentar: {0})",
    "Kommentar (Eingabetaste: überspringen{0}, - entfernt ihn): ",
    " und behalten",
    "Der Kommentar lässt sich so nicht speichern ({0}). Bitte schreiben Sie ihn neu.",
    "{0}: Die Antworten lassen sich nicht speichern.",
    "Unterbrochen. {0} von {1} Antworten sind in {2} gespeichert. Mit cxm assess --lang de "
    "--out {2} setzen Sie fort.",
    "Beendet. {0} von {1} Antworten sind in {2} gespeichert. Mit cxm assess --lang de --out "
    "{2} setzen Sie fort.",
    "Vielen Dank. Ihr Ergebnis:",
    "CX-Reifegrad: Stufe {0} von {1}, {2}",
    "(zu wenige Antworten, um sicher zu sein)",
    "Gesamtwert: {0} von 100",
    "Zentrales Hindernis: {0}",
    "Nach Kompetenz:",
    "  {0}: Stufe {1}, {2} (Wert {3})",
    "  {0}: zu wenige Antworten",
    "Lücken zur nächsten Stufe ({0} {1}):",
    "umgekehrt formuliert",
    "Ein Pulse-Check zeigt Veränderungen zwischen Erhebungen, keine Stufe.",
    "Ihre Antworten liegen in {0}. Führen Sie die Antworten mehrerer Personen zusammen und "
    "starten Sie cxm score, um zu sehen, wo Ihr Team übereinstimmt und wo nicht.",
};

// Every key has its text in every language (an initializer list that is
// one short would leave the last text empty).
constexpr bool complete(const Texts& texts) {
  for (const std::string_view text : texts) {
    if (text.empty()) return false;
  }
  return true;
}
static_assert(complete(kEnglish) && complete(kGerman), "a text is missing");

const Texts& texts(std::string_view lang) { return lang == "de" ? kGerman : kEnglish; }

}  // namespace

const std::vector<std::string>& assess_languages() {
  static const std::vector<std::string> languages{"en", "de"};
  return languages;
}

std::string assess_text(std::string_view lang, AssessKey key,
                        std::initializer_list<std::string> values) {
  const std::string_view text = texts(lang)[static_cast<std::size_t>(key)];
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}' && text[i + 1] >= '0' &&
        text[i + 1] <= '9') {
      const auto n = static_cast<std::size_t>(text[i + 1] - '0');
      if (n < values.size()) out += *(values.begin() + n);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string dont_know_key(std::string_view lang) { return lang == "de" ? "w" : "d"; }

}  // namespace cxm::cli
