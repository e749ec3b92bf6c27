#!/usr/bin/python3
"""Reads a mail message (a file as tests/smtp_sink.py stores it, or as
mime_message makes it) with Python's email package and prints what a mail
client would see as JSON: the headers decoded, each part's type and decoded
content (images as hex), the parser's defects, and the longest line."""
import email
import email.policy
import email.utils
import json
import sys

raw = open(sys.argv[1], "rb").read()
message = email.message_from_bytes(raw, policy=email.policy.default)
out = {
    "headers": {k: str(v) for k, v in message.items()},
    "header_count": {k: len(message.get_all(k)) for k in message.keys()},
    "defects": [type(d).__name__ for d in message.defects],
    "to": email.utils.getaddresses([str(message["To"] or "")]),
    "from": email.utils.getaddresses([str(message["From"] or "")]),
    "longest_line": max(len(line) for line in raw.split(b"\r\n")),
    "bare_line_feed": b"\n" in raw.replace(b"\r\n", b""),
    "parts": [],
}
for part in message.walk():
    entry = {"type": part.get_content_type(), "defects": [type(d).__name__ for d in part.defects]}
    if part.is_multipart():
        entry["children"] = [p.get_content_type() for p in part.iter_parts()]
    elif part.get_content_maintype() == "text":
        entry["content"] = part.get_content().replace("\r\n", "\n")
        entry["charset"] = part.get_content_charset()
        entry["encoding"] = part["Content-Transfer-Encoding"]
    else:
        entry["hex"] = part.get_payload(decode=True).hex()
        entry["content_id"] = part["Content-ID"]
        entry["disposition"] = part.get_content_disposition()
    out["parts"].append(entry)
print(json.dumps(out))
