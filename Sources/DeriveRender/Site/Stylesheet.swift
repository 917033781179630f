/// The site's stylesheet: readable prose and math, code that scrolls inside its block, charts
/// and badges in light and dark schemes.
public enum Stylesheet {
    public static let fileName = "style.css"

    public static let css = """
    :root {
      --bg: #fdfdfc; --fg: #1f2328; --muted: #5b636e; --rule: #d8dde3; --panel: #f4f6f8; --code-bg: #f6f8fa;
      --accent: #2f5fb3; --ok: #1a7f37; --ok-bg: #e6f4ea; --bad: #b42318; --bad-bg: #fdecea;
      --tok-keyword: #a626a4; --tok-type: #8a5d00; --tok-string: #2e7d32; --tok-number: #a34f00;
      --tok-comment: #6a737d; --tok-operator: #0b6e99; --tok-label: #2c5fcf; --tok-dollar: #2c5fcf;
      --s0: #2f5fb3; --s1: #c2410c; --s2: #15803d; --s3: #9333ea; --s4: #b45309; --s5: #0e7490;
    }
    @media (prefers-color-scheme: dark) {
      :root {
        --bg: #15171a; --fg: #e6e8eb; --muted: #9aa3ad; --rule: #30363d; --panel: #1d2126; --code-bg: #1b1f24;
        --accent: #7aa7ff; --ok: #56d364; --ok-bg: #12261a; --bad: #ff7b72; --bad-bg: #2d1416;
        --tok-keyword: #d2a8ff; --tok-type: #e5c07b; --tok-string: #98c379; --tok-number: #f0a45d;
        --tok-comment: #8b949e; --tok-operator: #56b6c2; --tok-label: #79c0ff; --tok-dollar: #79c0ff;
        --s0: #7aa7ff; --s1: #ff9e64; --s2: #73daca; --s3: #c3a6ff; --s4: #e0af68; --s5: #7dcfff;
      }
    }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    body { margin: 0; background: var(--bg); color: var(--fg);
      font: 17px/1.65 "Iowan Old Style", "Palatino Linotype", Palatino, Georgia, "Noto Serif", "Noto Serif CJK SC", serif; }
    a { color: var(--accent); }
    code, pre, .check-errors, .shape, .badge, .badge-checks, .badge-equations, .site-header, .toc, .pager, footer {
      font-family: ui-monospace, "SF Mono", "JetBrains Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; }
    .site-header { display: flex; justify-content: space-between; align-items: center; gap: 1rem; flex-wrap: wrap;
      padding: .6rem 1.25rem; border-bottom: 1px solid var(--rule); font-size: .8rem; }
    .site-header a { text-decoration: none; }
    .layout { display: grid; grid-template-columns: minmax(0, 15rem) minmax(0, 46rem); gap: 2.5rem; justify-content: center; padding: 0 1.25rem; }
    .layout.single { grid-template-columns: minmax(0, 46rem); }
    .toc { position: sticky; top: 1rem; align-self: start; max-height: calc(100vh - 2rem); overflow-y: auto; font-size: .78rem; padding-top: 2rem; }
    .toc ul { list-style: none; padding: 0; margin: 0; }
    .toc li { margin: .25rem 0; }
    .toc .toc-3 { padding-left: 1rem; }
    .toc a { color: var(--muted); text-decoration: none; }
    .toc a:hover { color: var(--accent); }
    .toc-title { font-weight: 600; margin: 0 0 .5rem; }
    main { min-width: 0; padding: 1rem 0 3rem; }
    main.index { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem; }
    h1, h2, h3, h4 { line-height: 1.25; font-weight: 650; }
    h1 { font-size: 2rem; margin: 1.2rem 0 1rem; }
    h2 { font-size: 1.45rem; margin: 2.2rem 0 .8rem; padding-bottom: .3rem; border-bottom: 1px solid var(--rule); }
    h3 { font-size: 1.15rem; margin: 1.6rem 0 .6rem; }
    p, ul, ol, blockquote, table { margin: 0 0 1rem; }
    img { max-width: 100%; height: auto; }
    blockquote { margin-left: 0; padding: .2rem 1rem; border-left: 3px solid var(--rule); color: var(--muted); }
    hr { border: 0; border-top: 1px solid var(--rule); margin: 2rem 0; }
    .table-wrap { overflow-x: auto; margin-bottom: 1rem; }
    table { border-collapse: collapse; font-size: .92rem; }
    th, td { border: 1px solid var(--rule); padding: .35rem .6rem; vertical-align: top; }
    th { background: var(--panel); }
    code { font-size: .86em; background: var(--code-bg); padding: .1em .3em; border-radius: 4px; }
    pre { overflow-x: auto; background: var(--code-bg); border-radius: 6px; padding: .75rem 1rem; font-size: .84rem; line-height: 1.5; }
    pre code { background: none; padding: 0; font-size: inherit; }
    \(Highlighter.tokenClasses.map { ".tok-\($0) { color: var(--tok-\($0)); }" }.joined(separator: "\n"))
    .tok-comment { font-style: italic; }
    .katex { font-size: 1.08em; }
    .katex-display, .math-display { overflow-x: auto; overflow-y: hidden; padding: .2rem 0; }
    .equation { display: flex; align-items: center; gap: .75rem; }
    .equation-body { flex: 1 1 auto; min-width: 0; overflow-x: auto; overflow-y: hidden; }
    .equation .katex-display { overflow: visible; margin: .6em 0; }
    .math-display:has(> .equation) { overflow: visible; }
    .equation-tag { flex: none; white-space: nowrap; display: flex; align-items: center; gap: .3rem; }
    .equation-number { font-variant-numeric: tabular-nums; }
    .equation-check { font: 700 .85rem/1.6 ui-monospace, monospace; text-decoration: none; border-radius: 999px; padding: 0 .5rem; }
    .equation-check.pass { color: var(--ok); background: var(--ok-bg); }
    .equation-check.fail { color: var(--bad); background: var(--bad-bg); }
    .equation-check.unknown { color: var(--muted); background: var(--panel); }
    .equation:target, .cell:target { outline: 2px solid var(--accent); outline-offset: 2px; border-radius: 4px; }
    a.equation-ref { text-decoration: none; white-space: nowrap; }
    .equation-ref.unknown { color: var(--bad); font-family: monospace; border-bottom: 1px dotted var(--bad); }
    .verifies { color: var(--muted); font-family: ui-monospace, monospace; }
    .math-error { color: var(--bad); font-family: monospace; border-bottom: 1px dotted var(--bad); }
    .raw-html { font-family: monospace; color: var(--muted); }
    li.task { list-style: none; }
    .cell { margin: 1.25rem 0 1.5rem; border: 1px solid var(--rule); border-radius: 8px; overflow: hidden; background: var(--bg); }
    .cell.failed { border-color: var(--bad); }
    .cell-head { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; padding: .35rem .75rem; font-size: .75rem;
      background: var(--panel); border-bottom: 1px solid var(--rule); }
    .cell-label { font-family: monospace; font-weight: 600; text-decoration: none; }
    .badge { border: 1px solid var(--rule); border-radius: 999px; padding: 0 .5rem; color: var(--muted); }
    .badge.expect { color: var(--bad); border-color: var(--bad); }
    .cell-source { margin: 0; border-radius: 0; }
    .outputs { padding: .6rem .9rem; border-top: 1px solid var(--rule); display: flex; flex-direction: column; gap: .5rem; min-width: 0; }
    .outputs > * { margin: 0; min-width: 0; }
    .stdout { background: none; padding: 0; }
    /* A value scrolls sideways when it is wider than the column, never up and down. */
    .value { overflow-x: auto; overflow-y: hidden; padding: .15em 0; }
    .value-label { color: var(--muted); font-family: monospace; font-size: .85rem; }
    .shape { color: var(--muted); font-size: .75rem; margin-left: .4rem; }
    .error { background: var(--bad-bg); color: var(--bad); }
    .cell-failure { color: var(--bad); font-family: monospace; font-size: .85rem; }
    .check { border-radius: 6px; padding: .3rem .6rem; background: var(--ok-bg); font-size: .9rem; }
    .check.fail { background: var(--bad-bg); }
    .check.nested { background: none; padding: .15rem 0 .15rem .8rem; border-left: 2px solid var(--rule); border-radius: 0; }
    .check summary { cursor: pointer; }
    .check summary, .check-summary { overflow-wrap: anywhere; }
    .check .mark { font-weight: 700; color: var(--ok); }
    .check.fail > summary .mark, .check.fail > .check-summary .mark { color: var(--bad); }
    /* Not bold: the bold serif some systems fall back to draws ᵀ (U+1D40) as ˢ. */
    .check-title { font-weight: 500; }
    code.check-title { font-weight: 400; }
    .check-errors { color: var(--muted); font-size: .75rem; margin-left: .3rem; }
    .check-detail { padding: .3rem 0 .1rem 1.2rem; font-size: .85rem; }
    .check-detail ul { margin: .2rem 0; padding-left: 1.1rem; }
    .diagnosis li { color: var(--bad); font-weight: 600; }
    .diagnosis a { color: inherit; }
    .named-line { background: color-mix(in srgb, var(--bad) 16%, transparent); outline: 1px solid color-mix(in srgb, var(--bad) 45%, transparent); border-radius: 2px; }
    .named-line:target { background: color-mix(in srgb, var(--bad) 30%, transparent); }
    .notes, .reference { color: var(--muted); }
    .reference { margin: .2rem 0; }
    .worst { font-family: monospace; font-size: .8rem; margin: .3rem 0; }
    figure.plot { margin: 0; overflow-x: auto; }
    svg.chart { width: 100%; max-width: 640px; height: auto; color: var(--fg); font: 12px ui-monospace, monospace; }
    svg.heatmap { width: 100%; max-width: 640px; height: auto; color: var(--fg); font: 11px ui-monospace, monospace; }
    svg .chart-title { font-weight: 600; font-size: 13px; fill: currentColor; }
    svg text { fill: currentColor; }
    svg .grid line { stroke: var(--rule); stroke-width: 1; }
    svg .axis line { stroke: var(--muted); stroke-width: 1; }
    svg .series { fill: none; stroke-width: 2; }
    svg .legend-swatch { stroke: var(--rule); }
    \((0..<6).map { "svg .series-\($0) { stroke: var(--s\($0)); } svg circle.series-\($0) { fill: var(--s\($0)); stroke: none; }" }.joined(separator: "\n"))
    .badge-checks { font-size: .75rem; border-radius: 999px; padding: .05rem .6rem; white-space: nowrap; }
    .badge-checks.ok { color: var(--ok); background: var(--ok-bg); }
    .badge-checks.bad { color: var(--bad); background: var(--bad-bg); }
    .badge-equations { font-size: .75rem; border-radius: 999px; padding: .05rem .6rem; white-space: nowrap; border: 1px solid var(--rule); }
    .badge-equations.ok { color: var(--ok); }
    .badge-equations.partial { color: var(--muted); }
    .lessons { padding-left: 1.4rem; }
    .lessons li { margin: .6rem 0; }
    .lessons a { font-size: 1.1rem; margin-right: .5rem; }
    .lede { color: var(--muted); }
    .pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 3rem; font-size: .85rem; }
    .pager a { text-decoration: none; }
    footer { margin-top: 2rem; color: var(--muted); font-size: .75rem; overflow-wrap: anywhere; }
    @media (max-width: 900px) {
      .layout { display: block; }
      .toc { position: static; max-height: none; padding-top: 1rem; border-bottom: 1px solid var(--rule); padding-bottom: .8rem; }
    }
    @media (max-width: 480px) {
      body { font-size: 16px; }
      h1 { font-size: 1.6rem; }
      pre { font-size: .78rem; padding: .6rem .7rem; }
    }

    """
}
