"""The timing loop both peer scripts share: render COUNT packets of one kit.json, then print
documents/second and a RESULT line (documents, pages, CPU s, wall s, bytes) for peers.sh."""

import json
import sys
import time
from pathlib import Path


def run(name, render):
    """Calls render(kit, out_dir, index) -> pages written, COUNT times (argv: KIT_JSON OUT_DIR [COUNT])."""
    kit = json.loads(Path(sys.argv[1]).read_text())
    out = Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    start, cpu = time.perf_counter(), time.process_time()
    pages = sum(render(kit, out, i) for i in range(count))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    size = sum(p.stat().st_size for p in out.glob("packet-*.pdf"))
    print(f"{name} peer: {count} interviewer packets in {elapsed:.2f} s = "
          f"{count / elapsed:.1f} documents/s ({1000 * elapsed / count:.1f} ms each), "
          f"{size // count} bytes each")
    print(f"RESULT {name} {count} {pages} {cpu:.3f} {elapsed:.3f} {size}")
