#!/usr/bin/env python3
"""Plain BM25 over one story, as a search bot on SQLite FTS5 would do it.

For each question of QUESTIONS.jsonl, index the paragraphs of its story
(and nothing else) in an FTS5 table, search with the question's words
OR-ed together, and rank by FTS5's bm25(). Prints paragraph hit@1 and
hit@3 per kind, the figures StoryBot's own "story given" retrieval
(`storybot batch`, scored by ../shared/eval/score.py) must not fall below.

  python3 docs/eval/fts5-baseline.py ../shared/data/dev-questions.jsonl ../shared/data/articles

With --answers ANSWERS.jsonl (storybot batch output), it also prints the
questions FTS5 ranks right at 1 and StoryBot does not.
"""
import json
import re
import sqlite3
import sys
from collections import defaultdict


def paragraphs(path):
    text = open(path, encoding="utf-8").read()
    body = text.split("\n---\n", 1)[1] if "\n---\n" in text else text
    parts = [p.strip() for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]
    return parts[1:]  # the headline is not a paragraph


def words(s):
    return re.findall(r"\w+", s.lower())


def main():
    args = sys.argv[1:]
    answers = None
    if "--answers" in args:
        k = args.index("--answers")
        answers = {}
        for line in open(args[k + 1], encoding="utf-8"):
            if line.strip():
                a = json.loads(line)
                answers[a["id"]] = a
        del args[k:k + 2]
    questions, articles = args
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE p USING fts5(body, story UNINDEXED, n UNINDEXED, tokenize='porter unicode61')")
    loaded = set()
    hits = defaultdict(lambda: [0, 0, 0])
    worse = []
    for line in open(questions, encoding="utf-8"):
        if not line.strip():
            continue
        q = json.loads(line)
        story = q["story"]
        if story not in loaded:
            for i, para in enumerate(paragraphs(f"{articles}/{story}")):
                db.execute("INSERT INTO p (body, story, n) VALUES (?, ?, ?)", (para, story, i))
            loaded.add(story)
        terms = sorted(set(words(q["question"])))
        match = " OR ".join('"' + t + '"' for t in terms) or '""'
        rows = db.execute("SELECT n FROM p WHERE p MATCH ? AND story = ? ORDER BY bm25(p) LIMIT 3",
                          (match, story)).fetchall()
        ranked = [r[0] for r in rows]
        h = hits[q["kind"]]
        h[0] += 1
        if ranked[:1] == [q["paragraph"]]:
            h[1] += 1
            if answers is not None:
                ps = (answers.get(q["id"]) or {}).get("passages") or []
                if not ps or ps[0].get("story") != story or ps[0].get("paragraph") != q["paragraph"]:
                    worse.append(q["id"])
        if q["paragraph"] in ranked:
            h[2] += 1
    for kind in sorted(hits):
        n, h1, h3 = hits[kind]
        print(f"{kind}.fts5.hit@1 {100 * h1 / n:6.1f}   hit@3 {100 * h3 / n:6.1f}   ({n} questions)")
    if answers is not None:
        print(f"right at 1 in FTS5 but not in StoryBot: {len(worse)}", *worse[:40])


if __name__ == "__main__":
    main()
