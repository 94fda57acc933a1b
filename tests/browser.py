#!/usr/bin/env python3
"""The examples' report in a real browser: Debian's chromium, headless.

  browser.py VENDORC EXAMPLES [--screenshot PNG]

- a screenshot of the page is not blank: many colours, some dark text on
  the light page, and the matrix's colours;
- the DOM chromium builds holds every cell of the access matrix (each
  vendor with the ports of each of its cells, from the JSON report);
- printed to PDF, each section starts a page of its own, in order, and the
  sign-off is on the last page (pdfinfo, pdftotext from poppler-utils);
- so is examples/fleet's: the clusters' overview, then each cluster's
  sections, every heading naming its cluster, then one sign-off.
--screenshot PNG also keeps the screenshot (the README's is made so).
"""

import html.parser
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402

NOW = "2026-11-24"
FLEET = ["staging", "prod-eu", "prod-us"]
SECTIONS = ["Summary", "Access matrix", "Who reaches each target", "Expiry timeline", "Vendor inventory",
            "Sign-off"]
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", "--disable-extensions", "--disable-dev-shm-usage"]


def chromium(tmp, *args):
    env = dict(os.environ, HOME=tmp)
    return subprocess.run(CHROMIUM + ["--user-data-dir=" + os.path.join(tmp, "profile"), *args],
                          capture_output=True, env=env, timeout=180)


def png_pixels(path):
    """(width, height, rows of RGB(A) bytes) of a non-interlaced 8-bit PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    at, idat, width = 8, b"", 0
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), "PNG colour type %d depth %d" % (colour, depth)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    raw, stride, rows, previous = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - bpp] if x >= bpp else 0
            up, corner = previous[x], previous[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, bpp, rows


def check_screenshot(tmp, page, keep):
    shot = os.path.join(tmp, "report.png")
    result = chromium(tmp, "--window-size=1280,1600", "--screenshot=" + shot, "file://" + page)
    if not os.path.exists(shot):
        return ["no screenshot: %s" % result.stderr.decode()[-400:]]
    if keep:
        shutil.copyfile(shot, keep)
    width, height, bpp, rows = png_pixels(shot)
    colours, dark, total = set(), 0, 0
    for row in rows[::4]:
        for x in range(0, width * bpp, bpp * 4):
            r, g, b = row[x], row[x + 1], row[x + 2]
            colours.add((r, g, b))
            dark += r + g + b < 200
            total += 1
    problems = []
    if len(colours) < 20:
        problems.append("the screenshot has %d colours: blank?" % len(colours))
    if not 0.005 < dark / total < 0.5:
        problems.append("dark pixels are %.1f%% of the screenshot" % (100 * dark / total))
    return problems


class MatrixText(html.parser.HTMLParser):
    """The text of each row of the access matrix table."""

    def __init__(self):
        super().__init__()
        self.depth, self.rows = 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("class", "matrix") in attrs:
            self.depth = 1
        elif tag == "table" and self.depth:
            self.depth += 1
        elif tag == "tr" and self.depth:
            self.rows.append("")

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and self.rows:
            self.rows[-1] += data + "\n"


def check_dom(tmp, page, report):
    result = chromium(tmp, "--dump-dom", "file://" + page)
    parser = MatrixText()
    parser.feed(result.stdout.decode())
    problems = []
    if not parser.rows:
        return ["the DOM has no access matrix: %s" % result.stderr.decode()[-400:]]
    for vendor in report["vendors"]:
        cells = [(t, c) for t in report["targets"] for c in t["vendors"] if c["vendor"] == vendor["name"]]
        if not cells:
            continue
        row = next((r for r in parser.rows if r.split("\n", 1)[0] == vendor["name"]), None)
        if row is None:
            problems.append("no matrix row for %s" % vendor["name"])
            continue
        for target, cell in cells:
            if cell["ports"] not in row:
                problems.append("%s's cell for %s %s (%s) is not in its row" % (
                    vendor["name"], target["kind"], target["name"], cell["ports"]))
    return problems


def check_pdf(tmp, page, sections=SECTIONS):
    """The PDF opens a page with each section, in order, and ends with the
    sign-off; sections are the titles of the headings."""
    pdf = page[:-len(".html")] + ".pdf"
    result = chromium(tmp, "--no-pdf-header-footer", "--print-to-pdf=" + pdf, "file://" + page)
    if not os.path.exists(pdf):
        return ["no PDF: %s" % result.stderr.decode()[-400:]]
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    firsts = []
    for number in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-layout", "-f", str(number), "-l", str(number), pdf, "-"],
                              capture_output=True, text=True, check=True).stdout
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        firsts.append(lines[0] if lines else "")
    starts = [first for first in firsts if first in sections]
    problems = []
    if pages < len(sections):
        problems.append("the PDF has %d pages, fewer than its %d sections" % (pages, len(sections)))
    # The first section follows the title block on the first page; every
    # later one opens a page, in order.
    if starts != sections[1:] and starts != sections:
        problems.append("pages open with %s, not each section in order" % starts)
    last = subprocess.run(["pdftotext", "-f", str(pages), "-l", str(pages), pdf, "-"],
                          capture_output=True, text=True, check=True).stdout
    if "Sign-off" not in last or "Approved by (risk owner)" not in last:
        problems.append("the sign-off is not on the last page")
    return problems


def check_fleet_pdf(tmp, vendorc, project):
    """examples/fleet's report prints the overview, then each cluster's part
    with every heading naming the cluster, then one sign-off."""
    page = os.path.join(tmp, "fleet.html")
    subprocess.run([vendorc, "report", "--now", NOW, "-o", page], cwd=os.path.join(project, "fleet"),
                   check=True, capture_output=True)
    parts = ["%s: %s" % (cluster, title) for cluster in FLEET for title in SECTIONS[:-1]]
    return check_pdf(tmp, page, ["Clusters"] + parts + ["Sign-off"])


def main(argv):
    vendorc, examples = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    keep = os.path.abspath(argv[argv.index("--screenshot") + 1]) if "--screenshot" in argv else None
    with tempfile.TemporaryDirectory() as tmp:
        project = os.path.join(tmp, "examples")
        shutil.copytree(examples, project)
        page = os.path.join(tmp, "report.html")
        subprocess.run([vendorc, "report", "--now", NOW, "-o", page], cwd=project, check=True,
                       capture_output=True)
        report = json.loads(subprocess.run([vendorc, "report", "--now", NOW, "--format", "json"], cwd=project,
                                           check=True, capture_output=True).stdout)
        checks = [("screenshot", lambda: check_screenshot(tmp, page, keep)),
                  ("dom", lambda: check_dom(tmp, page, report)),
                  ("pdf", lambda: check_pdf(tmp, page)),
                  ("fleet-pdf", lambda: check_fleet_pdf(tmp, vendorc, project))]
        return golden.report((name, check()) for name, check in checks)

if __name__ == "__main__":
    sys.exit(main(sys.argv))
