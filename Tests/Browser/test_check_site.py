#!/usr/bin/env python3
"""The browser check must be able to fail: each defect it looks for, planted in a one-page site,
makes it fail with that defect named, and a clean page passes. Run: python3 test_check_site.py"""
import pathlib
import subprocess
import sys
import tempfile
import unittest

CHECK = pathlib.Path(__file__).with_name("check_site.py")
CLEAN = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>t</title></head><body><p>{}</p></body></html>"


def run_check(body):
    with tempfile.TemporaryDirectory() as folder:
        site = pathlib.Path(folder) / "site"
        site.mkdir()
        (site / "page.html").write_text(CLEAN.format(body), encoding="utf-8")
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
}


class CheckSiteTests(unittest.TestCase):
    def test_a_clean_page_passes(self):
        code, output = run_check("Plain prose.")
        self.assertEqual(code, 0, output)
        self.assertIn("3 passed, 0 failed", output)

    def test_each_defect_fails_and_is_named(self):
        for defect, (body, named) in DEFECTS.items():
            with self.subTest(defect):
                code, output = run_check(body)
                self.assertEqual(code, 1, output)
                self.assertIn(named, output)


if __name__ == "__main__":
    unittest.main(verbosity=2)
