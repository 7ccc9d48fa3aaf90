"""Hostile uploads through the CLI: decompression bombs, a 50,000-column header, a 50 MB line; peak memory
and time of each with `/usr/bin/time -v` (issue 13: limits before work).

    nice -n 10 python bench/bench_hostile.py DIR [--run] [--project PATH] [--python PY] [--timeout S]

1. Writes the files into DIR, streaming (generation itself needs little memory):
     bomb_small.csv.gz     an orders CSV header and ~500 MB of repetitive rows, gzip -> ~1.5 MB
     bomb.xlsx             a minimal valid xlsx whose sheet XML inflates to ~250 MB (~1 MB zipped)
     wide_header.csv       one header line of 50,000 names (`c,c,...`) and 2 data rows
     wide_header_5000.csv  the same with 5,000 names
     long_line.csv         header `a,b`, then one 50 MB data line without delimiters
     control.csv           a small ordinary orders file (the memory cap must not break a normal run)
2. With --run, runs each file through the CLI of --project (default: this checkout), one at a time:
     /usr/bin/time -v -o TIMEFILE timeout -k 10 T prlimit --as=CAP -- PY -m insight analyze FILE --json OUT
   and prints per file: exit status (or TIMEOUT), wall seconds, peak RSS (MiB, time's "Maximum resident set
   size"), whether the address-space cap was hit, and the last stderr line.

The address-space cap (default 12 GB) keeps a bomb from taking the machine: an allocation past it fails
inside the child (MemoryError) instead of waking the OOM killer. Compare two checkouts by running it twice
with different --project.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

MB = 1024 * 1024

# --------------------------------------------------------------------------------------------------
# generators
# --------------------------------------------------------------------------------------------------


def gen_bomb_csv_gz(path: Path, inflated_bytes: int = 500 * MB) -> int:
    """Orders CSV: header then runs of 256 KB that repeat a 2-row pattern (short match distances make
    deflate's ratio ~300:1). 2,000 runs, 600 customer ids, a date per run. Returns inflated size."""
    raw = 0
    run_bytes = 256 * 1024
    with gzip.open(path, "wb", compresslevel=9) as g:
        header = b"customer_id,order_date,amount\n"
        g.write(header)
        raw += len(header)
        j = 0
        while raw < inflated_bytes:
            d = j % 336
            date = f"2024-{d // 28 + 1:02d}-{d % 28 + 1:02d}"
            pattern = "".join(f"C{(j * 2 + k) % 600:05d},{date},{(j * 7 + k) % 200 + 1}.50\n" for k in range(2))
            chunk = pattern.encode() * (run_bytes // len(pattern))
            g.write(chunk)
            raw += len(chunk)
            j += 1
    return raw


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PKG = "http://schemas.openxmlformats.org/package/2006"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="{_PKG}/content-types">'
    f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OFFICE}.worksheet+xml"/></Types>'
)
_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'{_XML}<workbook xmlns="{_SHEET_NS}" xmlns:r="{_DOC}">'
    '<sheets><sheet name="Orders" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _istr(value: str) -> str:
    return f'<c t="inlineStr"><is><t>{value}</t></is></c>'


def gen_bomb_xlsx(path: Path, inflated_bytes: int = 250 * MB, rows: int = 1_000_000, period: int = 16) -> int:
    """A minimal valid xlsx (inline strings, no styles/sharedStrings); the sheet XML is `rows` rows cycling
    over `period` distinct orders (several customers and dates, so the pipeline gets past the schema
    check), each padded to reach `inflated_bytes` in total (stays within Excel's 1,048,576 rows).
    Returns the sheet XML's inflated size."""
    cols = ["customer_id", "order_date", "amount", "product", "quantity", "channel"]
    per_row = inflated_bytes // rows
    block = b""
    for k in range(period):
        base = (
            "<row>"
            + _istr(f"C{(k * 37) % 600:05d}")
            + _istr(f"2024-{k % 12 + 1:02d}-{k % 28 + 1:02d}")
            + f"<c><v>{k * 3 + 5}.5</v></c>"
            + _istr(f"Widget {k % 5}")
            + f"<c><v>{k % 4 + 1}</v></c>"
        )
        pad = max(per_row - len(base) - len(_istr("")) - len("</row>") - 3, 1)
        block += (base + _istr("web" + "x" * pad) + "</row>").encode()
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        "<row>" + "".join(_istr(c) for c in cols) + "</row>"
    ).encode()
    tail = b"</sheetData></worksheet>"
    raw = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(head)
            raw += len(head)
            batch = block * 256  # 256 * period rows per write
            left = rows // period
            while left > 0:
                n = min(left, 256)
                sheet.write(batch if n == 256 else block * n)
                raw += len(block) * n
                left -= n
            sheet.write(tail)
            raw += len(tail)
    return raw


def gen_wide_header(path: Path, n: int = 50_000) -> int:
    with open(path, "w", encoding="utf-8") as f:
        f.write(",".join(["c"] * n) + "\n")
        for v in ("1", "2"):
            f.write(",".join([v] * n) + "\n")
    return path.stat().st_size


def gen_long_line(path: Path, size: int = 50 * MB) -> int:
    words = b"lorem ipsum dolor sit amet consectetur adipiscing elit " * 1000  # no delimiter, no quote
    with open(path, "wb") as f:
        f.write(b"a,b\n1,")
        left = size - 2
        while left > 0:
            chunk = words[: min(left, len(words))]
            f.write(chunk)
            left -= len(chunk)
        f.write(b"\n")
    return path.stat().st_size


def gen_control(path: Path, rows: int = 5000) -> int:
    with open(path, "w", encoding="utf-8") as f:
        f.write("customer_id,order_date,amount\n")
        for i in range(rows):
            d = (i * 37) % 336
            f.write(f"C{(i * 7919) % 400:05d},2024-{d // 28 + 1:02d}-{d % 28 + 1:02d},{(i * 13) % 300 + 5}.25\n")
    return path.stat().st_size


GENERATORS = {
    "bomb_small.csv.gz": gen_bomb_csv_gz,
    "bomb.xlsx": gen_bomb_xlsx,
    "wide_header.csv": lambda p: gen_wide_header(p, 50_000),
    "wide_header_5000.csv": lambda p: gen_wide_header(p, 5_000),
    "long_line.csv": gen_long_line,
    "control.csv": gen_control,
}
RUN_ORDER = [
    "control.csv",
    "bomb_small.csv.gz",
    "bomb.xlsx",
    "wide_header_5000.csv",
    "wide_header.csv",
    "long_line.csv",
]


def generate(out_dir: Path, names: list[str], force: bool) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        path = out_dir / name
        if path.exists() and not force:
            print(f"# keep     {name:22s} {path.stat().st_size / MB:9.2f} MB on disk", flush=True)
            continue
        t0 = time.perf_counter()
        inflated = GENERATORS[name](path)
        print(
            f"# generate {name:22s} {path.stat().st_size / MB:9.2f} MB on disk, {inflated / MB:9.1f} MB "
            f"inflated/content, {time.perf_counter() - t0:5.1f} s",
            flush=True,
        )


# --------------------------------------------------------------------------------------------------
# runner
# --------------------------------------------------------------------------------------------------

_MEMORY_SIGNS = re.compile(
    r"MemoryError|Unable to allocate|bad_alloc|Cannot allocate memory|out of memory|ArrowMemoryError"
    r"|std::length_error|mmap failed",
    re.I,
)


def _time_field(text: str, label: str) -> str | None:
    m = re.search(rf"^\s*{re.escape(label)}:\s*(.*)$", text, re.M)
    return m.group(1).strip() if m else None


def run_one(path: Path, args: argparse.Namespace, log_dir: Path) -> dict:
    timefile = log_dir / f"{path.name}.time"
    errfile = log_dir / f"{path.name}.stderr"
    outfile = log_dir / f"{path.name}.stdout"
    cmd = [
        "/usr/bin/time", "-v", "-o", str(timefile),
        "timeout", "-k", "10", str(args.timeout),
        "prlimit", f"--as={args.as_limit}", "--",
        args.python, "-m", "insight", "analyze", str(path), "--json", args.json_out,
    ]  # fmt: skip
    if os.path.exists(args.json_out):
        os.remove(args.json_out)
    t0 = time.perf_counter()
    with open(errfile, "wb") as err, open(outfile, "wb") as out:
        try:
            proc = subprocess.run(cmd, cwd=args.project, stdout=out, stderr=err, timeout=args.timeout + 60)
            code = proc.returncode
        except subprocess.TimeoutExpired:  # safety net; `timeout` should have fired first
            code = None
    wall = time.perf_counter() - t0
    ttext = timefile.read_text(errors="replace") if timefile.exists() else ""
    etext = errfile.read_text(errors="replace")
    lines = [ln for ln in etext.splitlines() if ln.strip()]
    last = lines[-1].strip() if lines else ""
    maxrss_kb = _time_field(ttext, "Maximum resident set size (kbytes)")
    elapsed = _time_field(ttext, "Elapsed (wall clock) time (h:mm:ss or m:ss)")
    user, system = _time_field(ttext, "User time (seconds)"), _time_field(ttext, "System time (seconds)")
    cpu = float(user) + float(system) if user and system else float("nan")
    if code is None or code == 124 or (code == 137 and wall >= args.timeout):
        status = "TIMEOUT"
    elif code > 128:
        status = f"signal {code - 128}"
    else:
        status = str(code)
    cap_hit = bool(_MEMORY_SIGNS.search(etext)) or status in ("signal 6", "signal 9")  # abort / kill
    return {
        "file": path.name,
        "size_mb": path.stat().st_size / MB,
        "status": status,
        "wall_s": wall,
        "time_elapsed": elapsed,
        "cpu_s": cpu,
        "peak_rss_mb": int(maxrss_kb) / 1024 if maxrss_kb else float("nan"),
        "cap_hit": cap_hit,
        "json_written": os.path.exists(args.json_out),
        "last_stderr": last[:300],
        "cmd": cmd,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dir", type=Path, help="directory for the hostile files (and logs/ for run logs)")
    p.add_argument("--run", action="store_true", help="run each file through the CLI")
    p.add_argument(
        "--project", type=Path, default=Path(__file__).resolve().parent.parent, help="project root (cwd for the CLI)"
    )
    p.add_argument("--python", default=sys.executable, help="interpreter with the project's dependencies")
    p.add_argument("--timeout", type=int, default=600, help="seconds per file (default 600)")
    p.add_argument("--as-limit", type=int, default=12_000_000_000, help="address-space cap in bytes (prlimit --as)")
    p.add_argument("--json-out", default="/tmp/out.json", help="where the CLI writes its JSON")
    p.add_argument("--only", nargs="+", choices=RUN_ORDER, help="generate/run only these files")
    p.add_argument("--force", action="store_true", help="regenerate files that already exist")
    args = p.parse_args(argv)

    args.dir = args.dir.resolve()
    args.project = args.project.resolve()
    names = args.only or RUN_ORDER
    generate(args.dir, names, args.force)
    if not args.run:
        return 0
    log_dir = args.dir / "logs"
    log_dir.mkdir(exist_ok=True)
    print(f"# project={args.project} python={args.python} timeout={args.timeout}s as-limit={args.as_limit}")
    start = time.strftime("%Y-%m-%d %H:%M:%S")
    print(f"# nice={os.nice(0)} start={start} loadavg={os.getloadavg()} cpus={os.cpu_count()}")
    heads = ("size MB", "status", "wall s", "cpu s")
    columns = " ".join(f"{h:>8s}" for h in heads)
    print(f"{'file':22s} {columns} {'peakRSS MiB':>11s} {'cap hit':>7s}  last stderr")
    for name in names:
        r = run_one(args.dir / name, args, log_dir)
        print(f"# cmd: (cd {args.project} && {' '.join(r['cmd'])})", flush=True)
        print(
            f"{r['file']:22s} {r['size_mb']:8.2f} {r['status']:>8s} {r['wall_s']:8.1f} {r['cpu_s']:8.1f} "
            f"{r['peak_rss_mb']:11.0f} "
            f"{'YES' if r['cap_hit'] else 'no':>7s}  {r['last_stderr']}",
            flush=True,
        )
    print(f"# end={time.strftime('%Y-%m-%d %H:%M:%S')} loadavg={os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
