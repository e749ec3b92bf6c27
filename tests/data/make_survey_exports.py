#!/usr/bin/env python3
"""Writes the realistic survey-tool exports in tests/data from the default
model: limesurvey_export.csv (question codes, answer codes A1..A5, as
LimeSurvey's "Export responses" writes them) and formbricks_export.csv
(Formbricks' CSV download: fixed leading columns, then "N. Headline - Row
label" matrix columns holding the chosen label). Deterministic: run it again
after changing the default model."""
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
