#!/usr/bin/env python3
"""The browser check must be able to fail: each defect it looks for, planted in a one-page site,
makes it fail with that defect named, and a clean page passes. Run: python3 test_check_site.py"""
import pathlib
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

CHECK = pathlib.Path(__file__).with_name("check_site.py")
CLEAN = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>t</title></head><body><p>{}</p></body></html>"


def png(width, height):
    """A small valid PNG, one colour."""
    raw = b"".join(b"\x00" + b"\x2f\x5f\xb3" * width for _ in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# Files beside the page: a real image, and one that is not an image at all.
FILES = {"net.png": png(40, 20), "broken.png": b"this is not a PNG"}


def run_check(body):
    with tempfile.TemporaryDirectory() as folder:
        site = pathlib.Path(folder) / "site"
        site.mkdir()
        (site / "page.html").write_text(CLEAN.format(body), encoding="utf-8")
        for name, data in FILES.items():
            (site / name).write_bytes(data)
        result = subprocess.run([sys.executable, str(CHECK), str(site), "--screenshots", str(pathlib.Path(folder) / "shots")],
                                capture_output=True, text=True)
        return result.returncode, result.stdout + result.stderr


# Each defect the check looks for, planted in a page, and what the check must say about it.
DEFECTS = {
    "horizontal overflow": ("<div style='width:3000px'>wide</div>", "horizontal overflow"),
    "a missing image": ("<img src='missing.png' alt='gone'>", "missing.png"),
    "a console error": ("<script>console.error('broken')</script>", "console error: broken"),
    "a script": ("<script>document.title = 'x'</script>", "1 script element(s)"),
    "a request off the machine": ("<img src='http://127.0.0.1:9/pixel.png' alt='remote'>", "network request: http://127.0.0.1:9/pixel.png"),
    "math without KaTeX fonts": ("<span class='katex'>x</span>", "KaTeX fonts not used"),
    "code in one colour": ("<code><span class='tok-keyword'>let</span> x = 1</code>", "code not coloured"),
    "strings in the colour of plain text": ("<style>.tok-keyword { color: #a626a4; }</style>"
                                            "<code><span class='tok-keyword'>let</span> s = <span class='tok-string'>\"a\"</span></code>",
                                            "code not coloured: tok-string has the colour of plain text"),
    "a scrollbar with nothing to scroll": ("<span style='display:block;overflow-y:scroll'>1</span>", "needless scrollbar"),
    "a sideways scrollbar with nothing to scroll": ("<span style='display:block;overflow-x:scroll'>1</span>",
                                                    "a horizontal scrollbar for 0 px"),
    "a scrollbar for a few pixels": ("<span style='display:block;overflow:auto;height:20px;line-height:23px'>x</span>",
                                     "needless scrollbar"),
    "an image that does not load": ("<img src='broken.png' alt='broken'>", "image not loaded: broken.png"),
}

# What a good page has: coloured code, a box that scrolls because its content is wider, an image.
GOOD = ("<style>.tok-keyword { color: #a626a4; }</style><code><span class='tok-keyword'>let</span> x = 1</code>"
        "<span style='display:block;overflow-x:auto;width:100px'><span style='display:block;width:400px'>wide</span></span>"
        "<img src='net.png' alt='a net'>")


class CheckSiteTests(unittest.TestCase):
    def test_a_clean_page_passes(self):
        code, output = run_check("Plain prose.")
        self.assertEqual(code, 0, output)
        self.assertIn("3 passed, 0 failed", output)

    def test_a_page_with_coloured_code_a_real_scroller_and_an_image_passes(self):
        code, output = run_check(GOOD)
        self.assertEqual(code, 0, output)

    def test_each_defect_fails_and_is_named(self):
        for defect, (body, named) in DEFECTS.items():
            with self.subTest(defect):
                code, output = run_check(body)
                self.assertEqual(code, 1, output)
                self.assertIn(named, output)


if __name__ == "__main__":
    unittest.main(verbosity=2)
