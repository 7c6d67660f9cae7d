"""Check event-corpus files (data/events/*.jsonl) against the data card's format and codes.

    python tools/check_events.py data/events/parts/*.jsonl      # exit 1 with one line per problem
    python tools/check_events.py --stats data/events/parts/*.jsonl

Checks: valid JSON per line; unique text ids across all files; every mention string occurs
verbatim in the text; actor codes are ``<root><role>`` with a known root and role; every actor
of a pair is listed; stance and PLOVER type are allowed and agree (REQUEST may be either);
phenomena come from the card's list; the date is ISO; no duplicate sentence text.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections import Counter
from pathlib import Path

from stance.actors.cameo_codes import EXTRA_ORGANISATIONS, ROLES, state_ids
from stance.actors.gazetteer import ORGANISATION_IDS

ORGANISATIONS = ORGANISATION_IDS | EXTRA_ORGANISATIONS
SUPPORT_TYPES = frozenset(
    ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST"]
)
OPPOSE_TYPES = frozenset(
    [
        "ACCUSE",
        "REJECT",
        "THREATEN",
        "PROTEST",
        "SANCTION",
        "MOBILIZE",
        "COERCE",
        "ASSAULT",
        "REQUEST",
    ]
)
PHENOMENA = frozenset(
    [
        "headline",
        "reported_speech",
        "reporter",
        "passive",
        "negation",
        "intent",
        "mutual",
        "coordination",
        "multi_pair",
        "long",
        "material_act",
        "verbal_act",
        "same_country",
        "plural_demonym",
        "place_actor",
        "armed_group",
        "leader_title",
        "organisation",
        "no_event",
    ]
)


def _states() -> frozenset[str]:
    return state_ids()


def code_problem(code: str, states: frozenset[str]) -> str | None:
    """Why `code` is not ``<root><role>`` with a known root and role (None when it is)."""
    if code in ORGANISATIONS:
        return None
    root, role = code[:3], code[3:]
    if states and root not in states:
        return f"unknown root {root!r} (ISO 3166 alpha-3 or an organisation id)"
    if role and role not in ROLES:
        return f"unknown role {role!r} (one of {' '.join(sorted(ROLES))})"
    return None


def check_record(record: dict, where: str, states: frozenset[str]) -> list[str]:
    """Problems of one sentence record, each a line naming `where`."""
    out = []
    for key in ("text_id", "text", "split", "mentions", "pairs"):
        if key not in record:
            out.append(f"{where}: missing key {key!r}")
    if out:
        return out
    text = record["text"]
    if not isinstance(text, str) or not text.strip():
        out.append(f"{where}: empty text")
        return out
    if record["split"] not in ("train", "dev", "test"):
        out.append(f"{where}: split {record['split']!r} is not train/dev/test")
    if "date" in record:
        try:
            datetime.date.fromisoformat(record["date"])
        except (TypeError, ValueError):
            out.append(f"{where}: date {record['date']!r} is not YYYY-MM-DD")
    actors = []
    for entry in record["mentions"]:
        code = entry.get("actor", "")
        problem = code_problem(code, states)
        if problem:
            out.append(f"{where}: actor {code!r}: {problem}")
        if code in actors:
            out.append(f"{where}: actor {code!r} listed twice; merge its mentions")
        actors.append(code)
        if not entry.get("mentions"):
            out.append(f"{where}: actor {code!r} has no mention")
        for mention in entry.get("mentions", []):
            if mention not in text:
                out.append(f"{where}: mention {mention!r} of {code} is not in the text")
    seen = set()
    for pair in record["pairs"]:
        if len(pair) != 4:
            out.append(f"{where}: pair {pair!r} is not [source, target, stance, plover_type]")
            continue
        source, target, stance, kind = pair
        for code in (source, target):
            if code not in actors:
                out.append(f"{where}: pair actor {code!r} is not listed in mentions")
        if source == target:
            out.append(f"{where}: pair {source}->{target} has one actor")
        if (source, target) in seen:
            out.append(f"{where}: pair {source}->{target} given twice")
        seen.add((source, target))
        allowed = {"support": SUPPORT_TYPES, "oppose": OPPOSE_TYPES}.get(stance)
        if allowed is None:
            out.append(f"{where}: stance {stance!r} (neutral pairs are simply not listed)")
        elif kind not in allowed:
            out.append(f"{where}: PLOVER type {kind!r} does not fit stance {stance!r}")
    for tag in record.get("phenomena", []):
        if tag not in PHENOMENA:
            out.append(f"{where}: unknown phenomenon {tag!r}")
    return out


def check_files(paths: list[Path]) -> tuple[list[str], list[dict]]:
    """All problems of `paths`, and their records."""
    states = _states()
    problems: list[str] = []
    records: list[dict] = []
    ids: dict[str, str] = {}
    texts: dict[str, str] = {}
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                problems.append(f"{where}: not JSON ({err.msg})")
                continue
            problems += check_record(record, where, states)
            text_id = str(record.get("text_id"))
            if text_id in ids:
                problems.append(f"{where}: text_id {text_id!r} also at {ids[text_id]}")
            ids[text_id] = where
            text = " ".join(str(record.get("text", "")).split()).lower()
            if text in texts:
                problems.append(f"{where}: same text as {texts[text]}")
            texts[text] = where
            records.append(record)
    return problems, records


def stats(records: list[dict]) -> str:
    """Counts by split, stance, PLOVER type, role and phenomenon."""
    lines = [f"{len(records)} sentences"]
    splits = Counter(r["split"] for r in records)
    lines.append("splits: " + ", ".join(f"{k} {v}" for k, v in sorted(splits.items())))
    kinds = Counter(p[3] for r in records for p in r["pairs"] if len(p) == 4)
    stances = Counter(p[2] for r in records for p in r["pairs"] if len(p) == 4)
    pairs = sum(len(r["mentions"]) * (len(r["mentions"]) - 1) for r in records)
    lines.append(f"ordered pairs {pairs}: " + ", ".join(f"{k} {v}" for k, v in stances.items()))
    lines.append("PLOVER: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
    roles = Counter(
        m["actor"][3:] or "(none)"
        for r in records
        for m in r["mentions"]
        if m["actor"] not in ORGANISATIONS
    )
    lines.append("roles: " + ", ".join(f"{k} {v}" for k, v in roles.most_common()))
    tags = Counter(t for r in records for t in r.get("phenomena", []))
    lines.append("phenomena: " + ", ".join(f"{k} {v}" for k, v in tags.most_common()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--stats", action="store_true", help="print counts as well")
    args = parser.parse_args(argv)
    problems, records = check_files(args.files)
    for line in problems:
        print(line)
    if args.stats:
        print(stats(records))
    print(f"{len(records)} sentences, {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
