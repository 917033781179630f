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


class CheckSiteTests(unittest.TestCase):
    def test_a_clean_page_passes(self):
        code, output = run_check("Plain prose.")
        self.assertEqual(code, 0, output)
        self.assertIn("3 passed, 0 failed", output)

    def test_horizontal_overflow_fails(self):
        code, output = run_check("<div style='width:3000px'>wide</div>")
        self.assertEqual(code, 1, output)
        self.assertIn("horizontal overflow", output)

    def test_a_missing_image_fails(self):
        code, output = run_check("<img src='missing.png' alt='gone'>")
        self.assertEqual(code, 1, output)
        self.assertIn("missing.png", output)

    def test_a_console_error_fails(self):
        code, output = run_check("<script>console.error('broken')</script>")
        self.assertEqual(code, 1, output)
        self.assertIn("console error: broken", output)

    def test_a_script_fails(self):
        code, output = run_check("<script>document.title = 'x'</script>")
        self.assertEqual(code, 1, output)
        self.assertIn("1 script element(s)", output)

    def test_a_request_off_the_machine_fails(self):
        code, output = run_check("<img src='http://127.0.0.1:9/pixel.png' alt='remote'>")
        self.assertEqual(code, 1, output)
        self.assertIn("network request: http://127.0.0.1:9/pixel.png", output)

    def test_math_without_katex_fonts_fails(self):
        code, output = run_check("<span class='katex'>x</span>")
        self.assertEqual(code, 1, output)
        self.assertIn("KaTeX fonts not used", output)


if __name__ == "__main__":
    unittest.main(verbosity=2)
