#include "report/summary_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "report/number_text.h"
#include "report/outside_in_text.h"
#include "report/report_text.h"

namespace cxm::report {
namespace {

// Writes headings, paragraphs, lists and tables in one of two styles.
class Writer {
 public:
  explicit Writer(SummaryStyle style) : style_(style) {}

  void title(const std::string& text) {
    if (markdown()) {
      out_ += "# " + text + "\n\n";
    } else {
      out_ += text + "\n" + std::string(display_width(text), '=') + "\n\n";
    }
  }
  void heading(const std::string& text) {
    if (markdown()) {
      out_ += "## " + text + "\n\n";
    } else {
      out_ += text + "\n" + std::string(display_width(text), '-') + "\n";
    }
  }
  void paragraph(const std::string& text) { out_ += wrap(text, "", "") + "\n"; }
  void bullet(const std::string& text) { out_ += wrap(text, "- ", "  "); }
  void numbered(std::size_t n, const std::string& text) {
    const std::string marker = std::to_string(n) + ". ";
    out_ += wrap(text, marker, std::string(marker.size(), ' '));
  }
  void end_list() { out_ += "\n"; }
  void preformatted(const std::vector<std::string>& lines) {
    if (markdown()) out_ += "```\n";
    for (const auto& l : lines) out_ += l + "\n";
    if (markdown()) out_ += "```\n";
    out_ += "\n";
  }
  void table(const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) width[c] = display_width(header[c]);
    for (const auto& row : rows) {
      for (std::size_t c = 0; c < row.size() && c < width.size(); ++c) {
        width[c] = std::max(width[c], display_width(row[c]));
      }
    }
    auto line = [&](const std::vector<std::string>& cells) {
      std::string l = markdown() ? "| " : "";
      for (std::size_t c = 0; c < cells.size(); ++c) {
        l += cells[c] + std::string(width[c] - display_width(cells[c]), ' ');
        l += markdown() ? " | " : "  ";
      }
      while (!l.empty() && l.back() == ' ') l.pop_back();
      out_ += l + "\n";
    };
    line(header);
    std::vector<std::string> rule;
    for (std::size_t w : width) rule.push_back(std::string(w, '-'));
    line(rule);
    for (const auto& row : rows) line(row);
    out_ += "\n";
  }
  bool markdown() const { return style_ == SummaryStyle::markdown; }
  std::string take() { return std::move(out_); }

 private:
  // Columns of UTF-8 text: count code points, not bytes.
  static std::size_t display_width(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
  }
  // Terminal text is wrapped at kWidth columns with a hanging indent;
  // Markdown is left to its renderer.
  std::string wrap(const std::string& text, const std::string& first,
                   const std::string& rest) const {
    if (markdown()) return first + text + "\n";
    std::string out = first;
    std::size_t column = display_width(first);
    std::size_t start = 0;
    bool line_empty = true;
    while (start < text.size()) {
      std::size_t end = text.find(' ', start);
      if (end == std::string::npos) end = text.size();
      const std::string word = text.substr(start, end - start);
      if (!line_empty && column + 1 + display_width(word) > kWidth) {
        out += "\n" + rest;
        column = display_width(rest);
        line_empty = true;
      }
      if (!line_empty) {
        out += ' ';
        ++column;
      }
      out += word;
      column += display_width(word);
      line_empty = false;
      start = end + 1;
    }
    return out + "\n";
  }

  static constexpr std::size_t kWidth = 78;
  SummaryStyle style_;
  std::string out_;
};

using Doc = ScoreDocument;

std::string score_text(const std::optional<double>& value) {
  if (!value) return tr("md.na");
  return fixed_decimals(*value, 0);
}

std::string decimal(const std::optional<double>& value, int digits) {
  if (!value) return tr("md.na");
  return decimal_text(*value, digits);
}

void write_ladder(Writer& w, const Doc& doc) {
  const int current = doc.stage->number;
  w.heading(tr("html.ladder.title"));
  std::vector<std::string> lines;
  for (auto it = doc.stages.rbegin(); it != doc.stages.rend(); ++it) {
    const int number = it->number;
    const std::string& name = it->name;
    std::string line = (number == current ? "> " : "  ") + std::to_string(number) + " " + name;
    line += std::string(name.size() < 16 ? 16 - name.size() : 1, ' ');
    if (number == 1) {
      line += "   " + tr("md.floor");
    } else {
      std::string score = score_text(it->score);
      line += std::string(score.size() < 5 ? 5 - score.size() : 0, ' ') + score;
      line += "  " + tr(it->attained ? "html.ladder.attained" : "html.ladder.not_attained");
      if (it->indicative) line += " (" + tr("evidence.too_few") + ")";
    }
    if (number == current) line += "   <- " + tr("md.here");
    lines.push_back(line);
  }
  w.preformatted(lines);
}

// A pulse document claims no stage (score_document.h).
bool is_pulse(const Doc& doc) { return doc.form == core::Form::pulse; }

// "3 Mobilize"; "n/a" for a segment of a full document that names no stage.
std::string stage_text(const std::optional<int>& stage, const std::string& name) {
  return stage ? std::to_string(*stage) + " " + name : tr("md.na");
}

// A statement as the lists name it: its id and text, and when it is worded
// in reverse, that its score is reversed.
std::string statement_text(const Doc::Statement& item) {
  return item.id + ": " + item.text + (item.reverse ? " (" + tr("html.reversed") + ")" : "");
}

void write_competencies(Writer& w, const Doc& doc) {
  w.heading(is_pulse(doc) ? tr("md.competencies_pulse") : tr("html.competencies"));
  // Agreement and reliability describe a group; one person's answers have none.
  const bool group = doc.answering >= 2;
  const bool staged = !is_pulse(doc);
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : doc.competencies) {
    std::vector<std::string> row{c.name, score_text(c.score)};
    if (staged) {
      row.push_back(stage_text(c.stage, c.stage_name) +
                    (c.indicative ? " (" + tr("evidence.too_few") + ")" : ""));
    }
    if (group) {
      row.push_back(decimal(c.rwg_j, 2));
      row.push_back(decimal(c.alpha, 2) + " (n=" + std::to_string(c.alpha_n) + ")");
    }
    rows.push_back(row);
  }
  std::vector<std::string> header{tr("html.th.competency"), tr("html.th.score")};
  if (staged) header.push_back(tr("html.th.stage"));
  if (group) {
    header.push_back(tr("md.th.rwg"));
    header.push_back(tr("md.th.alpha"));
  }
  w.table(header, rows);
}

void write_ranking(Writer& w, const Doc& doc, const Doc::Ranking& ranking,
                   const std::string& heading) {
  w.heading(heading);
  if (ranking.competencies.empty()) {
    w.paragraph(tr("md.no_rank"));
    return;
  }
  std::size_t n = 0;
  for (const auto& c : ranking.competencies) {
    w.numbered(++n, c.name + " (" + score_text(c.score) + ")");
  }
  w.end_list();
  for (const auto& i : ranking.items) {
    const Doc::Statement* item = find_statement(doc, i.id);
    w.bullet(score_text(i.score) + "  " + (item ? statement_text(*item) : i.id + ": " + i.text));
  }
  w.end_list();
}

void write_gaps(Writer& w, const Doc& doc) {
  if (!doc.next_stage) {
    w.heading(tr("md.gaps"));
    w.paragraph(tr("md.top_stage"));
    return;
  }
  w.heading(tr("md.gaps_to",
               {{"n", std::to_string(doc.next_stage->number)}, {"name", doc.next_stage->name}}));
  if (doc.next_stage_gaps.empty()) {
    w.paragraph(tr("md.gaps_none", {{"threshold", score_text(doc.threshold)}}));
    return;
  }
  std::size_t n = 0;
  for (const auto& id : doc.next_stage_gaps) {
    // The parser guarantees that every gap names a statement of the document.
    const Doc::Statement& item = *find_statement(doc, id);
    w.numbered(++n, score_text(item.score) + "  " + statement_text(item));
  }
  w.end_list();
}

void write_disagreement(Writer& w, const Doc& doc) {
  std::vector<const Doc::Statement*> split;
  for (const auto& item : doc.items) {
    if (item.agreement == core::AgreementClass::disagreement) split.push_back(&item);
  }
  if (split.empty()) return;
  // A statement with a class has its rwg (score_document_parser.h).
  std::stable_sort(
      split.begin(), split.end(),
      [](const Doc::Statement* a, const Doc::Statement* b) { return *a->rwg < *b->rwg; });
  w.heading(tr("md.disagree"));
  for (std::size_t i = 0; i < split.size() && i < 5; ++i) {
    const Doc::Statement& item = *split[i];
    w.bullet(item.id + " (rwg " + decimal(item.rwg, 2) +
             (item.bimodal ? ", " + tr("md.camps") : "") + "): " + item.text);
  }
  w.end_list();
}

// People in a segment: the count, or "fewer than k" where the server hid it.
std::string people_text(const Doc::Segment& s) {
  return s.respondents ? std::to_string(*s.respondents)
                       : tr("html.fewer_than", {{"k", std::to_string(*s.fewer_than)}});
}

void write_segments(Writer& w, const Doc& doc, const std::vector<Doc::Segment>& segments,
                    const std::string& heading) {
  if (segments.empty()) return;
  w.heading(heading);
  const bool staged = !is_pulse(doc);
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : segments) {
    const std::string n = people_text(s);
    if (s.suppressed) {
      // The segment's own reason (fewer than k, or the smaller group it
      // would reveal); an older document without one was below k.
      rows.push_back({s.name, n, tr("md.hidden"),
                      s.reason.empty()
                          ? tr("md.fewer_answers", {{"k", std::to_string(doc.min_group_size)}})
                          : s.reason});
    } else {
      rows.push_back({s.name, n, score_text(s.overall_score)});
      if (staged) rows.back().push_back(stage_text(s.stage, s.stage_name));
    }
  }
  if (staged) {
    w.table({tr("html.th.group"), tr("html.cover.respondents"), tr("html.th.score"),
             tr("html.th.stage")},
            rows);
  } else {
    w.table({tr("html.th.group"), tr("html.cover.respondents"), tr("html.th.score"),
             tr("html.th.note")},
            rows);
  }
}

// The silo score: what it means, everyone's, each shown unit's, the spread.
void write_silo(Writer& w, const Doc& doc) {
  if (!doc.silo) return;
  w.heading(tr("html.th.silo"));
  w.paragraph(silo_sentence(doc));
  if (!doc.silo->units.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& u : doc.silo->units) rows.push_back({u.name, score_text(u.score)});
    w.table({tr("html.th.unit"), tr("html.th.silo")}, rows);
  }
  if (const std::string spread = silo_spread_sentence(doc); !spread.empty()) w.paragraph(spread);
}

// Outside-in: the customers' figures for the period, their change and
// respondents, the delivery gap, and the caveat.
void write_outside_in(Writer& w, const Doc& doc) {
  if (!doc.outside_in) return;
  const auto& o = *doc.outside_in;
  w.heading(tr("html.outside_in"));
  w.paragraph(outside_in_period_sentence(o));
  for (const auto& m : o.metrics) {
    w.paragraph(m.name + (m.synthetic ? " (" + tr("html.oi.synthetic") + ")" : "") + ": " +
                m.definition + " " +
                tr("html.oi.scale", {{"min", metric_value_text(m.scale_min)},
                                     {"max", metric_value_text(m.scale_max)}}));
    if (!m.figures.empty()) {
      std::vector<std::vector<std::string>> rows;
      for (const auto& f : m.figures) {
        rows.push_back({outside_in_group(f.unit), f.period, metric_value_text(f.value),
                        std::to_string(f.respondents), figure_change_text(f),
                        f.source + (f.synthetic ? " (" + tr("md.synthetic") + ")" : "")});
      }
      w.table({tr("html.th.group"), tr("html.th.period"), tr("html.th.figure"),
               tr("md.th.customers"), tr("html.th.change"), tr("md.th.source")},
              rows);
    }
    for (const auto& x : m.missing) w.bullet(outside_in_group(x.unit) + ": " + x.reason + ".");
    if (!m.missing.empty()) w.end_list();
  }
  if (!o.gap_reason.empty()) {
    w.paragraph(tr("html.oi.no_gap", {{"reason", o.gap_reason}}));
  } else {
    w.paragraph(delivery_gap_explanation(o));
    if (!o.rows.empty()) {
      std::vector<std::vector<std::string>> rows;
      for (const auto& r : o.rows) {
        rows.push_back(
            {outside_in_group(r.unit), outside_in_metric_name(o, r.metric) + " (" + r.period + ")",
             score_text(r.own), std::to_string(r.own_respondents), score_text(r.customers),
             std::to_string(r.customer_respondents), gap_text(r)});
      }
      w.table({tr("html.th.group"), tr("md.th.metric"), tr("md.th.own"), tr("html.th.people"),
               tr("md.th.customers_100"), tr("md.th.customers"), tr("html.th.gap")},
              rows);
    }
    for (const auto& h : o.hidden) {
      w.bullet(outside_in_group(h.unit) + " (" + outside_in_metric_name(o, h.metric) +
               "): " + tr("html.oi.no_gap_short") + ", " + h.reason + ".");
    }
    if (!o.hidden.empty()) w.end_list();
  }
  w.paragraph(o.caveat);
}

// The stage verdict of a full document: title, ladder, the pace to expect.
void write_verdict(Writer& w, const Doc& doc, const std::string& summary) {
  const Doc::Stage& stage = *doc.stage;
  w.title(tr("md.title", {{"n", std::to_string(stage.number)},
                          {"of", std::to_string(doc.stages.size())},
                          {"name", stage.name}}));
  w.paragraph(summary + tr("md.attained_at", {{"threshold", score_text(doc.threshold)}}));
  if (const std::string unsure = indicative_sentence(doc); !unsure.empty())
    w.paragraph(tr("html.too_few_sure") + " " + unsure);
  w.paragraph(stage.description);
  write_ladder(w, doc);
  w.paragraph(tr("html.later_stages"));
}

// The key obstacle of the stage reached and what helps with it.
void write_obstacle(Writer& w, const Doc& doc) {
  const Doc::Stage& stage = *doc.stage;
  w.heading(tr("md.obstacle"));
  w.paragraph(stage.obstacle);
  for (const auto& a : stage.obstacle_actions) {
    std::string text = a.title + ": " + a.detail;
    if (!a.owner.empty()) text += " " + tr("html.actions.owner", {{"owner", a.owner}});
    if (!a.success_measure.empty())
      text += " " + tr("html.actions.worked") + " " + a.success_measure;
    w.bullet(text);
  }
  if (!stage.obstacle_actions.empty()) w.end_list();
}

// What respondents wrote, per competency, where it may be shown; a
// competency whose comments are withheld says why.
void write_comments(Writer& w, const Doc& doc) {
  if (doc.comments.empty()) return;
  w.heading(tr("html.comments"));
  for (const auto& c : doc.comments) {
    w.paragraph(c.name + (c.question.empty() ? "" : ": " + c.question));
    if (!c.withheld.empty()) {
      w.paragraph(tr("html.not_shown", {{"reason", c.withheld}}));
      continue;
    }
    if (c.texts.empty() && c.hidden_reasons.empty()) {
      w.paragraph(tr("html.comments.none"));
      continue;
    }
    for (auto t : c.texts) {
      std::replace(t.begin(), t.end(), '\n', ' ');  // one bullet per comment
      std::replace(t.begin(), t.end(), '\t', ' ');
      w.bullet(t);
    }
    for (auto reason : c.hidden_reasons) {
      std::replace(reason.begin(), reason.end(), '\n', ' ');
      w.bullet("(" + tr("html.comments.hidden", {{"reason", reason}}) + ")");
    }
    w.end_list();
  }
}

std::string render(const Doc& doc, SummaryStyle style) {
  Writer w(style);
  const std::string summary = doc.model.title + " " + doc.model.version + ". " +
                              tr("md.summary", {{"answering", std::to_string(doc.answering)},
                                                {"n", std::to_string(doc.respondents)},
                                                {"score", score_text(doc.overall_score)}});
  if (is_pulse(doc)) {
    w.title(tr("md.pulse"));
    w.paragraph(summary + ".");
    w.paragraph(doc.note);
  } else {
    write_verdict(w, doc, summary);
    write_obstacle(w, doc);
    write_gaps(w, doc);
  }
  if (const std::string gap = largest_gap_sentence(doc); !gap.empty()) {
    w.heading(tr("md.largest_gap"));
    w.paragraph(gap);
  }
  write_ranking(w, doc, doc.strengths, tr("md.strengths"));
  write_ranking(w, doc, doc.weaknesses, tr("md.weaknesses"));
  write_competencies(w, doc);
  write_disagreement(w, doc);
  write_segments(w, doc, doc.segments.role, tr("html.groups.by_role"));
  write_segments(w, doc, doc.segments.unit, tr("html.groups.by_unit"));
  write_silo(w, doc);
  write_outside_in(w, doc);
  write_comments(w, doc);
  return w.take();
}

}  // namespace

std::string segment_display_name(const ScoreDocument& document, core::SegmentKind kind,
                                 const std::string& value) {
  const auto& list =
      kind == core::SegmentKind::role ? document.segments.role : document.segments.unit;
  for (const auto& s : list) {
    if (s.value == value && !s.name.empty()) return s.name;
  }
  return value;
}

std::string largest_gap_sentence(const ScoreDocument& doc) {
  auto shown = [&](core::SegmentKind kind, const std::string& value) {
    const auto& list = kind == core::SegmentKind::role ? doc.segments.role : doc.segments.unit;
    for (const auto& s : list) {
      if (s.value == value) return !s.suppressed;
    }
    return false;
  };
  const Doc::Gap* best = nullptr;
  for (const auto& g : doc.gaps) {
    const Doc::Difference& d = g.overall;
    if (!d.difference || !d.ci_low || !d.ci_high || !d.mean_a || !d.mean_b) continue;
    if (std::abs(*d.difference) < kLargeGap) continue;
    if (*d.ci_low <= 0 && *d.ci_high >= 0) continue;  // not clear of zero
    if (!shown(g.segment, g.a) || !shown(g.segment, g.b)) continue;
    if (!best || std::abs(*d.difference) > std::abs(*best->overall.difference)) best = &g;
  }
  if (!best) return "";
  const Doc::Difference& d = best->overall;
  const bool a_higher = *d.difference > 0;
  const std::string high = segment_display_name(doc, best->segment, a_higher ? best->a : best->b);
  const std::string low = segment_display_name(doc, best->segment, a_higher ? best->b : best->a);
  const double high_mean = a_higher ? *d.mean_a : *d.mean_b;
  const double low_mean = a_higher ? *d.mean_b : *d.mean_a;
  return tr(best->segment == core::SegmentKind::role ? "summary.gap_roles" : "summary.gap_units",
            {{"high", high},
             {"high_score", score_text(high_mean)},
             {"low", low},
             {"low_score", score_text(low_mean)},
             {"points", score_text(std::abs(*d.difference))},
             {"ci_low", score_text(std::min(std::abs(*d.ci_low), std::abs(*d.ci_high)))},
             {"ci_high", score_text(std::max(std::abs(*d.ci_low), std::abs(*d.ci_high)))}});
}

std::string indicative_sentence(const ScoreDocument& doc) {
  if (!doc.stage || !doc.stage->indicative) return "";
  std::string steps;
  for (const auto& s : doc.stages) {
    if (!s.indicative) continue;
    steps += "; " + tr("summary.indicative_step", {{"n", std::to_string(s.number)},
                                                   {"name", s.name},
                                                   {"counted", std::to_string(s.counted)},
                                                   {"of", std::to_string(s.statements)}});
  }
  const std::string needed =
      doc.answers_to_count ? std::to_string(*doc.answers_to_count) : tr("summary.enough");
  return tr("summary.indicative",
            {{"needed", needed}, {"steps", steps}, {"n", std::to_string(doc.stage->number)}});
}

std::string silo_sentence(const ScoreDocument& doc) {
  if (!doc.silo) return "";
  const auto& silo = *doc.silo;
  const std::string n = std::to_string(silo.statements.size());
  const std::string what = tr("summary.silo_what", {{"n", n}});
  if (!silo.score) return what + tr("summary.silo_none");
  const bool partial =
      silo.counted && *silo.counted < static_cast<long long>(silo.statements.size());
  std::string out = what + tr("summary.silo_score", {{"score", score_text(silo.score)}}) +
                    (partial ? tr("summary.silo_partial", {{"n", std::to_string(*silo.counted)}})
                             : std::string()) +
                    ". ";
  out += tr(*silo.score >= doc.threshold ? "summary.silo_above" : "summary.silo_below",
            {{"threshold", score_text(doc.threshold)}});
  return out;
}

std::string silo_spread_sentence(const ScoreDocument& doc) {
  if (!doc.silo || !doc.silo->spread) return "";
  const std::string points = score_text(doc.silo->spread);
  return tr(points == "1" ? "summary.silo_spread_one" : "summary.silo_spread",
            {{"points", points}});
}

std::string status_text(const std::string& status) {
  if (status == "planned") return tr("status.planned");
  if (status == "in_progress") return tr("status.in_progress");
  if (status == "done") return tr("status.done");
  if (status == "dropped") return tr("status.dropped");
  std::string out = status;
  for (char& c : out) c = c == '_' ? ' ' : c;
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z')
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::string hidden_text(const std::string& reason) {
  if (reason.empty()) return tr("hidden.plain");
  if (current_lang() == Lang::en && reason.rfind("hidden ", 0) == 0) return "H" + reason.substr(1);
  // German reasons say "ausgeblendet" themselves: the reason, capitalized.
  if (current_lang() == Lang::de && reason.find("ausgeblendet") != std::string::npos) {
    std::string out = reason;
    if (out.rfind("weniger", 0) == 0 || out.rfind("diese", 0) == 0 || out.rfind("eine", 0) == 0 ||
        out.rfind("groß", 0) == 0) {
      out[0] = static_cast<char>(out[0] - 'a' + 'A');
    }
    return out;
  }
  return tr("hidden.reason", {{"reason", reason}});
}

RenderResult render_summary(const ScoreDocument& document, SummaryStyle style,
                            std::string_view lang) {
  const TextScope words(lang.empty() ? current_lang() : report_lang(lang));
  return {render(document, style), ""};
}

RenderResult render_summary(std::string_view score_json, SummaryStyle style,
                            std::string_view lang) {
  const ScoreDocumentReading reading = read_score_document(score_json);
  if (!reading.document) return {"", reading_error(reading, "incomplete score document: ")};
  return render_summary(*reading.document, style, lang);
}

}  // namespace cxm::report
