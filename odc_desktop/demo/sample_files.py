"""Small but real documents for demo data: a one-page PDF and a JPEG photo, made deterministically."""

from __future__ import annotations

import io
import random


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(title: str, lines: list[str]) -> bytes:
    """A valid single-page PDF 1.4 with the title and lines in Helvetica (Latin-1 text only)."""
    rows = [title, ""] + lines
    content_ops = ["BT", "/F1 16 Tf", "56 780 Td"]
    for i, row in enumerate(rows):
        if i == 1:
            content_ops.append("/F1 11 Tf")
        safe = _pdf_escape(row.encode("latin-1", "replace").decode("latin-1"))
        content_ops.append(f"({safe}) Tj 0 -18 Td")
    content_ops.append("ET")
    stream = "\n".join(content_ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref_at = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref_at))
    return out.getvalue()


def make_jpeg(seed: int, caption: str, size: tuple[int, int] = (320, 240)) -> bytes:
    """A small JPEG "site photo": a random landscape-ish gradient with a caption."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    sky = (rng.randint(90, 150), rng.randint(150, 200), rng.randint(200, 255))
    ground = (rng.randint(80, 140), rng.randint(90, 130), rng.randint(40, 80))
    horizon = rng.randint(height // 3, height // 2)
    for y in range(height):
        base = sky if y < horizon else ground
        shade = (y % 40) // 4
        draw.line([(0, y), (width, y)], fill=tuple(max(0, c - shade) for c in base))
    for _ in range(rng.randint(2, 5)):  # buildings / trees
        x0 = rng.randint(0, width - 40)
        w = rng.randint(20, 60)
        h = rng.randint(20, horizon)
        colour = (rng.randint(60, 200), rng.randint(60, 200), rng.randint(60, 200))
        draw.rectangle([x0, horizon - h, x0 + w, horizon + 10], fill=colour)
    draw.rectangle([0, height - 24, width, height], fill=(0, 0, 0))
    draw.text((6, height - 20), caption[:48], fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()
