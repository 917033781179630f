#!/usr/bin/env python3
"""Opens every page of a rendered site in Debian's headless Chromium, from file://, at 1280 px
and 390 px wide (and at 1280 px in the dark colour scheme), saves a screenshot of each, and fails on console errors, failed loads, KaTeX
fonts not in use, horizontal overflow, a script on the page, a request that leaves file://, code tokens
(keywords, types, numbers, strings, comments) drawn in the colour of plain text, a scrollbar with nothing (or next to nothing) to scroll, or an
image that did not load. Usage: check_site.py SITE_DIR [--screenshots DIR]

Needs Playwright (pip install playwright) driving /usr/bin/chromium; nothing is downloaded.
Prints 'N passed, N failed' as its last line."""
import argparse
import pathlib
import sys

from playwright.sync_api import sync_playwright

# (width, colour scheme): the two widths the issue names, and the dark scheme once.
VIEWS = [(1280, "light"), (390, "light"), (1280, "dark")]

# A vertical scrollbar for at most this many pixels of overflow shows nothing worth scrolling to
# (KaTeX's struts poke a few pixels out of a value's box): it is a defect. A horizontal one is a
# defect only with no overflow at all, since any sideways overflow cuts text or a formula off.
NEEDLESS_OVERFLOW_PX = 4

# Lazy images load when scrolled to; the check wants them all, so it asks for them now.
LOAD_IMAGES = """() => Promise.all([...document.images].map(img => {
  img.loading = 'eager';
  return img.decode().catch(() => null);
}))"""

# Reads what a person would see: is any KaTeX font face loaded, does the page overflow sideways,
# are code tokens coloured, which scrollbars show and how much they scroll, which images loaded.
PROBE = """(needless) => {
  const faces = [...document.fonts].filter(f => f.family.replace(/"/g, '').startsWith('KaTeX'));
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  // Each kind of token the spec names must differ from the plain text around it.
  const uncoloured = [];
  for (const kind of ['keyword', 'type', 'number', 'string', 'comment']) {
    const token = document.querySelector('.tok-' + kind);
    const plain = token && token.closest('code, pre');
    if (token && plain && getComputedStyle(token).color === getComputedStyle(plain).color)
      uncoloured.push(`tok-${kind} has the colour of plain text (${getComputedStyle(plain).color})`);
  }
  const scrollbars = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    const border = (a, b) => parseFloat(style[a]) + parseFloat(style[b]);
    const vertical = el.offsetWidth - el.clientWidth - border('borderLeftWidth', 'borderRightWidth');
    const horizontal = el.offsetHeight - el.clientHeight - border('borderTopWidth', 'borderBottomWidth');
    const overflowY = el.scrollHeight - el.clientHeight, overflowX = el.scrollWidth - el.clientWidth;
    if (vertical > 0 && ['auto', 'scroll'].includes(style.overflowY) && overflowY <= needless)
      scrollbars.push(`${name(el)}: a vertical scrollbar for ${overflowY} px of overflow`);
    if (horizontal > 0 && ['auto', 'scroll'].includes(style.overflowX) && overflowX <= 0)
      scrollbars.push(`${name(el)}: a horizontal scrollbar for ${overflowX} px of overflow`);
  }
  return {
    katexFaces: faces.filter(f => f.status === 'loaded').map(f => f.family.replace(/"/g, '')),
    hasMath: document.querySelector('.katex') !== null,
    scripts: document.scripts.length,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    uncoloured: uncoloured,
    scrollbars: scrollbars,
    brokenImages: [...document.images].filter(img => !img.complete || img.naturalWidth === 0).map(img => img.getAttribute('src')),
  };
}"""


def check_page(browser, page_path, width, scheme, screenshots):
    problems = []
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed load: {r.url} ({r.failure})"))
    page.on("request", lambda r: problems.append(f"network request: {r.url}") if not r.url.startswith(("file:", "data:")) else None)
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.goto(page_path.resolve().as_uri(), wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.evaluate(LOAD_IMAGES)
    probe = page.evaluate(PROBE, NEEDLESS_OVERFLOW_PX)
    if probe["hasMath"] and "KaTeX_Main" not in probe["katexFaces"]:
        problems.append(f"KaTeX fonts not used (loaded faces: {probe['katexFaces']})")
    if probe["scripts"]:
        problems.append(f"{probe['scripts']} script element(s): pages must work without JavaScript")
    if probe["scrollWidth"] > probe["innerWidth"]:
        problems.append(f"horizontal overflow: page is {probe['scrollWidth']} px wide in a {probe['innerWidth']} px window")
    for token in probe["uncoloured"]:
        problems.append(f"code not coloured: {token}")
    for scrollbar in probe["scrollbars"]:
        problems.append(f"needless scrollbar: {scrollbar}")
    for source in probe["brokenImages"]:
        problems.append(f"image not loaded: {source}")
    suffix = "" if scheme == "light" else f"-{scheme}"
    page.screenshot(path=str(screenshots / f"{page_path.stem}-{width}{suffix}.png"), full_page=True)
    context.close()
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("site")
    parser.add_argument("--screenshots", default=None)
    args = parser.parse_args()
    site = pathlib.Path(args.site)
    pages = sorted(site.glob("*.html"))
    if not pages:
        print(f"no pages in {site}", file=sys.stderr)
        print("0 passed, 1 failed")
        return 1
    screenshots = pathlib.Path(args.screenshots or (pathlib.Path("/tmp") / "derive-screenshots"))
    screenshots.mkdir(parents=True, exist_ok=True)
    passed = failed = 0
    with sync_playwright() as p:
        # Scrollbars drawn as a reader's browser draws them (Playwright hides them by default),
        # so needless ones are measured and show in the screenshots.
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--allow-file-access-from-files"],
                                    ignore_default_args=["--hide-scrollbars"])
        for page_path in pages:
            for width, scheme in VIEWS:
                problems = check_page(browser, page_path, width, scheme, screenshots)
                view = f"{page_path.name} at {width} px, {scheme}"
                if problems:
                    failed += 1
                    print(f"✗ {view}")
                    for problem in problems:
                        print(f"    {problem}")
                else:
                    passed += 1
                    print(f"✓ {view}")
        browser.close()
    print(f"screenshots in {screenshots}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
