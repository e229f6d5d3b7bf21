"""Checks of a rendered page: axe-core in the browser, the Nu HTML checker on the served HTML, and the width.

axe-core and the checker's jar come from npm (package.json, installed into node_modules by
`scripts/setup.sh --dev`); the checker runs on Java 17. Pages are batched into one checker run because each
JVM start costs seconds.
"""

import json
import re
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
BLOCKING_IMPACTS = ("serious", "critical")


def axe_violations(page, ignored=()):
    """The serious and critical axe-core violations on the page, as readable lines (none: an empty list).

    ``ignored``: (rule id, regular expression) pairs; a node of that rule whose target matches is left out."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):  # not added by the context's init script
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    found = []
    for v in result["violations"]:
        nodes = [" ".join(n["target"]) for n in v["nodes"]]
        nodes = [n for n in nodes if not any(rule == v["id"] and re.search(p, n) for rule, p in ignored)]
        if v["impact"] in BLOCKING_IMPACTS and nodes:
            found.append(f"{v['impact']} {v['id']}: {v['help']} ({', '.join(nodes[:3])})")
    return found


def sideways_overflow(page):
    """How many CSS pixels the page scrolls sideways at its viewport width (0: it fits)."""
    return page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")


def vnu_errors(documents):
    """{name: [error, ...]} for the named HTML documents ({name: html}) with errors, in one checker run."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for i, (name, html) in enumerate(documents.items()):
            path = Path(tmp) / f"{i:03d}.html"
            path.write_text(html, encoding="utf-8")
            paths[f"file:{path}"] = name  # the checker names files file:/path
        run = subprocess.run(
            ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--exit-zero-always", tmp],
            capture_output=True, text=True, timeout=300, check=True)
    errors = {}
    for message in json.loads(run.stderr or run.stdout)["messages"]:
        name = paths.get(message.get("url"), message.get("url"))
        where = f"line {message['lastLine']}: " if "lastLine" in message else ""
        errors.setdefault(name, []).append(f"{where}{message['message']} [{message.get('extract', '').strip()}]")
    return errors
