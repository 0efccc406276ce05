"""Peer benchmark: the interviewer packet of a kit.json typeset with typst (PyPI `typst`).

Usage: python3 benches/peers/typst_packet.py KIT_JSON OUT_DIR [COUNT] (or benches/peers.sh)

Writes the same content as interview-kit's interviewer.pdf (cover, agenda table, and per
question the prompt, code, purpose, listen-for points, model answer, rubric table,
follow-ups, red flags, notes box and score line) as typst markup, and compiles it COUNT
times in one process (one stream, as typst's Python binding runs) with typst's default
fonts. Prints documents/second and a RESULT line for benches/peers.sh.
"""

import json
import re

import typst

from timing import run


def text(value):
    """A typst string literal: the text is data, never markup."""
    return json.dumps(str(value), ensure_ascii=False)


def bullets(items):
    return "".join(f"- #{text(item)}\n" for item in items)


def markup(kit):
    out = ['#set page(paper: "a4", margin: 19mm)\n#set text(size: 10pt)\n',
           f"= #{text('Interview packet: ' + kit['blueprint']['role'])}\n",
           f"#{text('Candidate: ' + kit['candidate'])} \\\n#{text('Kit ' + kit['kit_code'])}\n\n",
           "#table(columns: (auto, 1fr, auto, auto, auto, auto), fill: (_, y) => if y == 0 { luma(225) },\n"
           '  [*\\#*], [*Question*], [*Topic*], [*Level*], [*Min*], [*Total*],\n']
    total = 0
    for item in kit["questions"]:
        q = item["question"]
        total += q["minutes"]
        topic = kit["topic_titles"].get(q["topic"], q["topic"])
        cells = [item["number"], q["id"], topic, q["level"], q["minutes"], total]
        out.append("  " + ", ".join(f"[#{text(c)}]" for c in cells) + ",\n")
    out.append(")\n")
    for item in kit["questions"]:
        q, rubric = item["question"], item["rubric"]
        heading = f"Question {item['number']} · {q['topic']} · {q['level']}"
        out.append(f"\n#block(breakable: true)[\n== #{text(heading)}\n")
        out.append(f"#{text(q['prompt'])}\n\n")
        if q.get("code"):
            out.append(f"#block(fill: luma(240), inset: 6pt, width: 100%, raw({text(q['code'])}, lang: \"python\"))\n")
        out.append(f"*Purpose* \\\n#{text(q['purpose'])}\n\n*Listen for*\n{bullets(rubric['listen_for'])}\n")
        out.append(f"*Model answer* \\\n#{text(q['answer'])}\n\n*Rubric*\n")
        out.append("#table(columns: (auto, auto, 1fr), fill: (_, y) => if y == 0 { luma(225) },\n"
                   "  [*Score*], [*Level*], [*What you observe*],\n")
        for level in rubric["levels"]:
            out.append(f"  [#{text(level['score'])}], [#{text(level['label'])}], [#{text(level['descriptor'])}],\n")
        out.append(")\n")
        out.append(f"*Follow-ups*\n{bullets(rubric['follow_ups'])}\n*Red flags*\n{bullets(rubric['red_flags'])}\n")
        out.append("#rect(width: 100%, height: 28mm)[Notes]\nScore: [ ] 1 #h(1em) [ ] 2 #h(1em) [ ] 3 #h(1em) [ ] 4\n]\n")
    return "".join(out)


def render(kit, out, index):
    """Compiles the packet of `kit` to out/packet-INDEX.pdf; returns its page count."""
    source = out / "packet.typ"
    if index == 0:
        source.write_text(markup(kit))
    pdf = typst.compile(str(source))
    (out / f"packet-{index}.pdf").write_bytes(pdf)
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


if __name__ == "__main__":
    run("typst", render)
