#!/usr/bin/env python3
"""Writes the realistic survey-tool exports in tests/data from the default
model: limesurvey_export.csv (question codes, answer codes A1..A5, as
LimeSurvey's "Export responses" writes them) and formbricks_export.csv
(Formbricks' CSV download: fixed leading columns, then "N. Headline - Row
label" matrix columns holding the chosen label); and two small LimeSurvey
exports made with LimeSurvey in another language: limesurvey_export_de.csv
(German headings, "Full question text" with the statements of the German
translation, full German answer texts) and limesurvey_export_fr.csv (French
headings, semicolons, question codes and answer codes). Deterministic: run
it again after changing the default model or its translation."""
import csv, random, re, pathlib

here = pathlib.Path(__file__).parent
model = (here.parent.parent / "models" / "cx-maturity.yaml").read_text()
items = re.findall(r'- \{id: (\w+), competency: (\w+), stage: \d+,[^"]*? text: "([^"]+)"\}', model)
labels = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
rng = random.Random(13)

people = [  # role name, unit, completed, tendency
    ("Executive", "Sales", True, 4), ("Executive", "Support", True, 4), ("Manager", "Sales", True, 3),
    ("Manager", "Support", True, 3), ("Manager", "Sales", False, 3), ("Frontline employee", "Support", True, 2),
    ("Frontline employee", "Sales", True, 3), ("Frontline employee", "Support", True, 2),
    ("Frontline employee", "Sales", True, 3), ("Other", "Support", False, 3), ("Manager", "Support", True, 4),
    ("Frontline employee", "Sales", True, 2),
]

def answer(tendency):
    r = rng.random()
    if r < 0.04:
        return "dk"
    if r < 0.08:
        return ""
    return max(1, min(5, tendency + rng.choice([-1, 0, 0, 1])))

rows = [[answer(t) for _ in items] for (_, _, _, t) in people]

with open(here / "limesurvey_export.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp", "role", "unit"]
               + [f"CX[{i}]" for i, _, _ in items] + ["CXcomment", "interviewtime"])
    for n, ((role, unit, done, _), answers) in enumerate(zip(people, rows), start=1):
        start = f"2026-03-{n:02d} 09:{n:02d}:00"
        cells = ["DK" if a == "dk" else (f"A{a}" if a != "" else "") for a in answers]
        if not done:
            cells = cells[: len(cells) // 3] + [""] * (len(cells) - len(cells) // 3)
        comment = "We need more time,\nand a budget." if n == 3 else ""
        w.writerow([n, f"2026-03-{n:02d} 09:{n + 12:02d}:00" if done else "", 6 if done else 2, "en",
                    1000 + n, start, start, role, unit] + cells + [comment, 700 + n if done else ""])

with open(here / "formbricks_export.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    head = "How true is each of these of us?"
    w.writerow(["No.", "Response ID", "Timestamp", "Finished", "Survey ID", "Formbricks ID (internal)", "User ID",
                "Notes", "Tags", "url", "userAgent - browser", "userAgent - os", "userAgent - device",
                "1. What is your role?", "2. Which department do you work in?"]
               + [f"3. {head} - {text}" for _, _, text in items] + ["4. Anything else you want to tell us?"])
    for n, ((role, unit, done, _), answers) in enumerate(zip(people, rows), start=1):
        cells = ["Don't know" if a == "dk" else (labels[a - 1] if a != "" else "") for a in answers]
        if not done:
            cells = cells[: len(cells) // 2] + [""] * (len(cells) - len(cells) // 2)
        w.writerow([n, f"clx{n:04d}r{rng.randrange(10**6):06d}", f"2026-03-{n:02d} 10:{n:02d}:00",
                    "Yes" if done else "No", "clsurvey0001", "", "", "", "", "https://forms.example/s/cx",
                    "Chrome", "Windows", "desktop", role, unit] + cells
                   + ["Our \"voice of the customer\" work stops at the survey." if n == 2 else ""])

# LimeSurvey in German: "Full question text" headings (the subquestion text is
# the statement of models/cx-maturity.de.yaml) and "Full answers".
german = {}
for line in (here.parent.parent / "models" / "cx-maturity.de.yaml").read_text().splitlines():
    m = re.match(r'  (\w+): "(.+)"$', line)
    if m:
        german[m.group(1)] = m.group(2)
labels_de = ["Stimme überhaupt nicht zu", "Stimme nicht zu", "Teils, teils", "Stimme zu", "Stimme voll zu"]
people_de = [("Geschäftsleitung", "Vertrieb", True), ("Führungskraft", "Kundenservice", True),
             ("Mitarbeitende im Kundenkontakt", "Kundenservice", True), ("Führungskraft", "Vertrieb", False)]
with open(here / "limesurvey_export_de.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    head = "Wie sehr trifft jede Aussage auf uns zu?"
    w.writerow(["Antwort ID", "Datum Abgeschickt", "Letzte Seite", "Start-Sprache", "Zufallsstartwert",
                "Datum gestartet", "Datum letzte Aktivität", "Ihre Rolle", "Ihre Abteilung"]
               + [f"{head} [{german[i]}]" for i, _, _ in items])
    for n, ((role, unit, done), answers) in enumerate(zip(people_de, rows), start=1):
        start = f"2026-04-{n:02d} 10:{n:02d}:00"
        cells = ["Weiß nicht" if a == "dk" else (labels_de[a - 1] if a != "" else "") for a in answers]
        if not done:
            cells = cells[:5] + [""] * (len(cells) - 5)
        w.writerow([n, f"2026-04-{n:02d} 10:{n + 20:02d}:00" if done else "", 6 if done else 1, "de",
                    2000 + n, start, start, role, unit] + cells)

# LimeSurvey in French: question codes, answer codes, ";" as separator (as a
# French spreadsheet saves it), "Sans réponse" for an unanswered array row.
people_fr = [("executive", "Ventes", True), ("manager", "Service client", True), ("frontline", "Ventes", False)]
with open(here / "limesurvey_export_fr.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(["ID de la réponse", "Date de soumission", "Dernière page", "Langue de départ", "Tête de série",
                "Date de lancement", "Date de la dernière action", "role", "unit"]
               + [f"CX[{i}]" for i, _, _ in items])
    for n, ((role, unit, done), answers) in enumerate(zip(people_fr, rows[4:]), start=1):
        start = f"2026-05-{n:02d} 11:{n:02d}:00"
        cells = ["Sans réponse" if a == "dk" else (f"A{a}" if a != "" else "") for a in answers]
        w.writerow([n, f"2026-05-{n:02d} 11:{n + 30:02d}:00" if done else "", 6 if done else 2, "fr",
                    3000 + n, start, start, role, unit] + cells)
