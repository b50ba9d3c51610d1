"""axe-core (npm, loaded from node_modules) run on the page a browser test has open."""

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def serious_violations(page, *, exclude: tuple[str, ...] = ()) -> list[str]:
    """WCAG 2.2 AA problems axe-core rates serious or critical, one line each, outside the
    elements ``exclude`` selects."""
    # As a reader sees the page once its fonts are in: until the editor's icon font has
    # loaded, each toolbar button shows its icon's name ("format_list_numbered"), which axe
    # reads as a label that does not match and as text to check for contrast. A browser
    # fetches a font only once text laid out in it is painted, so `document.fonts.ready`
    # alone can resolve before the icon font is even asked for: load every declared face.
    page.evaluate(
        "async () => { await Promise.all([...document.fonts]"
        ".filter((face) => face.status !== 'loaded')"
        ".map((face) => face.load().catch(() => null)));"
        " await document.fonts.ready; return true; }"
    )
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async ([tags, exclude]) => (await axe.run("
        "{include: [document], exclude: exclude.map((selector) => [selector])},"
        " {runOnly: {type: 'tag', values: tags}})).violations",
        [RULES, list(exclude)],
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
