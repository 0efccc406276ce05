"""Peer benchmark: the interviewer packet of a kit.json rendered with reportlab (platypus).

Usage: python3 benches/peers/reportlab_packet.py KIT_JSON OUT_DIR [COUNT] (or benches/peers.sh)

Renders the same content interview-kit puts in interviewer.pdf (cover, agenda table, and per
question the prompt, code, purpose, listen-for points, model answer, rubric table, follow-ups,
red flags, notes box and score line) COUNT times in one process, and prints documents/second.
It uses reportlab's built-in Helvetica and Courier, which is faster than embedding DejaVu, so
the comparison flatters the peer.
"""


from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (KeepTogether, Paragraph, Preformatted, SimpleDocTemplate, Spacer,
                                Table, TableStyle)
from xml.sax.saxutils import escape

from timing import run


def packet(kit, path):
    styles = getSampleStyleSheet()
    body, h1, h2 = styles["BodyText"], styles["Title"], styles["Heading2"]
    label = styles["Heading5"]
    story = [Paragraph(escape(f"Interview packet: {kit['blueprint']['role']}"), h1),
             Paragraph(escape(f"Candidate: {kit['candidate']}"), body),
             Paragraph(escape(f"Kit {kit['kit_code']}"), body), Spacer(1, 4 * mm)]
    rows, total = [["#", "Question", "Topic", "Level", "Min", "Total"]], 0
    for item in kit["questions"]:
        q = item["question"]
        total += q["minutes"]
        rows.append([item["number"], q["id"], kit["topic_titles"].get(q["topic"], q["topic"]),
                     q["level"], q["minutes"], total])
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                       ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)])
    story += [Table(rows, style=grid)]
    for item in kit["questions"]:
        q, rubric = item["question"], item["rubric"]
        block = [Paragraph(escape(f"Question {item['number']} · {q['topic']} · {q['level']}"), h2),
                 Paragraph(escape(q["prompt"]), body)]
        if q.get("code"):
            block.append(Preformatted(q["code"], styles["Code"]))
        block += [Paragraph("Purpose", label), Paragraph(escape(q["purpose"]), body),
                  Paragraph("Listen for", label)]
        block += [Paragraph(escape("• " + p), body) for p in rubric["listen_for"]]
        block += [Paragraph("Model answer", label), Paragraph(escape(q["answer"]), body),
                  Paragraph("Rubric", label)]
        table = [["Score", "Level", "What you observe"]] + [
            [lvl["score"], lvl["label"], Paragraph(escape(lvl["descriptor"]), body)]
            for lvl in rubric["levels"]]
        block.append(Table(table, colWidths=[15 * mm, 28 * mm, 120 * mm], style=grid))
        block += [Paragraph("Follow-ups", label)]
        block += [Paragraph(escape("• " + f), body) for f in rubric["follow_ups"]]
        block += [Paragraph("Red flags", label)]
        block += [Paragraph(escape("• " + f), body) for f in rubric["red_flags"]]
        block += [Table([["Notes"]], colWidths=[165 * mm], rowHeights=[28 * mm], style=grid),
                  Paragraph("Score: [ ] 1  [ ] 2  [ ] 3  [ ] 4", body)]
        story.append(KeepTogether(block) if len(block) < 40 else Spacer(1, 1))
        if len(block) >= 40:
            story += block
    doc = SimpleDocTemplate(str(path), pagesize=A4, title=kit["kit_code"])
    doc.build(story)
    return doc.page


if __name__ == "__main__":
    run("reportlab", lambda kit, out, i: packet(kit, out / f"packet-{i}.pdf"))
