"""Cut the PDF fonts (alliance.pdf.FONTS) out of Debian's Noto CJK collections into PDF_FONTS_DIR.

Kept: GB 2312 (its 6,763 hanzi, punctuation, pinyin, full-width forms), ASCII, Latin-1, general and CJK
punctuation, full-width forms, and every character of the PDF templates. Any other character is set from the full
system font, which static/pdf/base.css lists next. Does nothing when the fonts are up to date: a stamp records what
they were cut from. scripts/setup.sh runs it; the first run takes a minute or so.
"""

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from fontTools import subset
from fontTools.ttLib import TTCollection

from alliance.pdf import FONTS

SOURCE_FAMILY = "Noto Serif CJK SC"
RANGES = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x3000, 0x303F), (0xFF00, 0xFFEF)]


def gb2312():
    chars = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass  # an unassigned code point
    return chars


def wanted_characters():
    chars = gb2312() | {chr(code) for first, last in RANGES for code in range(first, last + 1)}
    for template in Path(settings.BASE_DIR).glob("*/templates/*/pdf/*.html"):
        chars |= set(template.read_text(encoding="utf-8"))
    return "".join(sorted(char for char in chars if char >= " "))


def cut(source, target, chars):
    font = next(font for font in TTCollection(source, lazy=True) if font["name"].getDebugName(1) == SOURCE_FAMILY)
    # Without layout closure: glyphs reached only through substitutions (vertical forms, other locales) are left out.
    subsetter = subset.Subsetter(subset.Options(layout_closure=False, name_IDs=["*"], notdef_outline=True))
    subsetter.populate(unicodes=[ord(char) for char in chars])
    subsetter.subset(font)
    partial = target.with_name(f".{target.name}.part")
    font.save(partial)
    os.replace(partial, target)  # a renderer never reads a half-written font


class Command(BaseCommand):
    help = "将 PDF 所用的思源宋体（Noto Serif CJK SC）裁剪为 GB 2312 字符集，加快 PDF 生成。已是最新时不做任何事。"

    def handle(self, *args, **options):
        out = Path(settings.PDF_FONTS_DIR)
        sources = {out / name: Path(source) for name, (source, _) in FONTS.items()}
        missing = [str(source) for source in sources.values() if not source.is_file()]
        if missing:
            self.stderr.write(f"Not found: {', '.join(missing)} (fonts-noto-cjk); PDFs use the system fonts only.")
            return
        chars = wanted_characters()
        made_from = [Path(__file__).read_text(encoding="utf-8"), chars]
        made_from += [f"{source}:{source.stat().st_size}:{source.stat().st_mtime_ns}" for source in sources.values()]
        digest = hashlib.sha256("\n".join(made_from).encode()).hexdigest()
        stamp = out / ".stamp"
        if stamp.is_file() and stamp.read_text() == digest and all(target.is_file() for target in sources):
            return
        self.stdout.write(f"Cutting the PDF fonts down to {len(chars)} characters into {out} …")
        out.mkdir(parents=True, exist_ok=True)
        with ProcessPoolExecutor(max_workers=len(sources)) as pool:
            list(pool.map(cut, sources.values(), sources.keys(), [chars] * len(sources)))
        stamp.write_text(digest)
